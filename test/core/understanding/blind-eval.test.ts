import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBlindSet } from '../../../scripts/eval/blind-set.js';
import { type Evaluation, evaluate, ratio, summarize } from '../../../scripts/eval/evaluate-understanding.js';
import { loadUnderstandingUnderTest } from '../../../scripts/eval/understanding-under-test.js';
import { loadMunicipalityConfig } from '../../../src/core/municipality/load-municipality-config.js';
import { LOCALES } from '../../../src/core/vocabulary.js';

/**
 * The blind sets as regression floors (docs/understanding-eval.md has the history). The development
 * set was tuned on, so its floors only keep a later change from undoing that work; the sealed set
 * was measured once, after the tuning, and its floors sit just under that first sight.
 */
const understanding = loadUnderstandingUnderTest();
const config = loadMunicipalityConfig(path.resolve('config/municipality.example.yaml'));

interface Floors {
  crisisReachNumbers: number;
  crisisReachCrisis: number;
  concernReachNumbers: number;
  /** Ceilings: ordinary worries asked the question, or alerting staff. */
  ordinaryConcern: number;
  ordinaryCrisis: number;
  windowAccuracy: number;
  windowAccuracyPerLanguage: number;
}

function holdsTo(evaluation: Evaluation, floors: Floors): void {
  expect(ratio(evaluation.crisisReachNumbers)).toBeGreaterThanOrEqual(floors.crisisReachNumbers);
  expect(ratio(evaluation.crisisReachCrisis)).toBeGreaterThanOrEqual(floors.crisisReachCrisis);
  expect(ratio(evaluation.concernReachNumbers)).toBeGreaterThanOrEqual(floors.concernReachNumbers);
  expect(ratio(evaluation.ordinaryConcern)).toBeLessThanOrEqual(floors.ordinaryConcern);
  expect(ratio(evaluation.ordinaryCrisis)).toBeLessThanOrEqual(floors.ordinaryCrisis);
  expect(ratio(evaluation.windowAccuracy)).toBeGreaterThanOrEqual(floors.windowAccuracy);
  for (const language of LOCALES) {
    const own = summarize(evaluation.results.filter((r) => r.item.lang === language));
    // A set in one language (round 5 is Chinese only) has no routed items to hold in the others.
    if (Number.isNaN(ratio(own.windowAccuracy))) continue;
    expect(ratio(own.windowAccuracy), language).toBeGreaterThanOrEqual(floors.windowAccuracyPerLanguage);
  }
}

describe('blind development set (tuned on: a regression floor)', () => {
  const items = readBlindSet('test/fixtures/eval/blind-dev.yaml');

  it('is the size and spread the evaluation asks for', () => {
    expect(items.length).toBeGreaterThanOrEqual(300);
    expect(items.filter((i) => i.risk === 'crisis').length).toBeGreaterThanOrEqual(120);
    for (const language of LOCALES)
      expect(
        items.some((i) => i.lang === language),
        language,
      ).toBe(true);
  });

  it('keeps the figures reached after tuning', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.98,
      concernReachNumbers: 0.85,
      ordinaryConcern: 0.12,
      ordinaryCrisis: 0.03,
      windowAccuracy: 0.95,
      windowAccuracyPerLanguage: 0.85,
    });
  });
});

/** One blind set's floors, for the sets whose test is only that: the figures they must keep. */
interface FloorsOfSet {
  file: string;
  title: string;
  test: string;
  floors: Floors;
}

/** Development sets 2–5: tuned (and, for 2 and 3, trained) on, so these only keep later work from undoing theirs. */
const DEVELOPMENT_SETS_2_TO_5: FloorsOfSet[] = [
  {
    file: 'test/fixtures/eval/blind-dev-2.yaml',
    title: 'blind development set 2 (tuned and trained on: a regression floor)',
    test: 'keeps the figures reached after tuning',
    floors: {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.98,
      concernReachNumbers: 0.95,
      ordinaryConcern: 0.06,
      ordinaryCrisis: 0.02,
      windowAccuracy: 0.95,
      windowAccuracyPerLanguage: 0.8,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-3.yaml',
    title: 'blind development set 3 (tuned and trained on: a regression floor)',
    test: 'keeps the figures reached after tuning',
    floors: {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.98,
      concernReachNumbers: 0.95,
      ordinaryConcern: 0.08,
      ordinaryCrisis: 0.015,
      windowAccuracy: 0.97,
      windowAccuracyPerLanguage: 0.9,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-4.yaml',
    title: 'blind development set 4 (routing; tuned on: a regression floor)',
    test: 'keeps the figures reached after tuning',
    floors: {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.98,
      concernReachNumbers: 0.95,
      ordinaryConcern: 0.07,
      ordinaryCrisis: 0.02,
      windowAccuracy: 0.98,
      windowAccuracyPerLanguage: 0.95,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-5.yaml',
    title: 'blind development set 5 (Chinese routing; tuned on: a regression floor)',
    test: 'keeps the figures reached after tuning',
    floors: {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.99,
      concernReachNumbers: 0.99,
      ordinaryConcern: 0.06,
      ordinaryCrisis: 0.06,
      windowAccuracy: 0.98,
      windowAccuracyPerLanguage: 0.98,
    },
  },
];

for (const set of DEVELOPMENT_SETS_2_TO_5)
  describe(set.title, () => {
    it(set.test, () => holdsTo(evaluate(understanding, config, readBlindSet(set.file)), set.floors));
  });

describe('blind development set 6 (routing in every language; trained on: a regression floor)', () => {
  const items = readBlindSet('test/fixtures/eval/blind-dev-6.yaml');

  it('has 30 routed worries or more in every language', () => {
    expect(items.length).toBe(280);
    for (const language of LOCALES)
      expect(
        items.filter((i) => i.lang === language && i.risk === 'none' && i.field).length,
        language,
      ).toBeGreaterThanOrEqual(30);
  });

  // Its first sight, with a field model trained without it: window 0.939 (en 0.806, isolation 0.943).
  it('keeps the figures reached after training the field model on it', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 0.99,
      // 0.933 until round 14, 0.967 after it
      crisisReachCrisis: 0.966,
      concernReachNumbers: 0.99,
      ordinaryConcern: 0.07,
      ordinaryCrisis: 0.06,
      windowAccuracy: 0.99,
      windowAccuracyPerLanguage: 0.96,
    });
  });
});

describe('blind development set 7 (false alarms near real danger; tuned on: a regression floor)', () => {
  const items = readBlindSet('test/fixtures/eval/blind-dev-7.yaml');

  it('is the size and spread the round asks for', () => {
    expect(items.length).toBe(240);
    expect(items.filter((i) => i.risk === 'crisis').length).toBe(60);
    expect(items.filter((i) => i.risk === 'none' && i.field === 'violence').length).toBe(40);
  });

  // Before round 7: ordinary→alert 0.119 (violence worries 14 of 40), crisis→alert 0.933, window 0.958.
  it('keeps the figures reached after tuning', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.93,
      concernReachNumbers: 0.89,
      ordinaryConcern: 0.08,
      ordinaryCrisis: 0.015,
      windowAccuracy: 0.95,
      windowAccuracyPerLanguage: 0.84,
    });
  });
});

describe("blind development set 8 (a city's ordinary week; tuned on: a regression floor)", () => {
  const items = readBlindSet('test/fixtures/eval/blind-dev-8.yaml');

  it('is the size and spread the round asks for', () => {
    expect(items.length).toBe(300);
    expect(items.filter((i) => i.risk === 'crisis').length).toBe(100);
    expect(items.filter((i) => i.risk === 'concern').length).toBe(25);
    expect(items.filter((i) => i.risk === 'none').length).toBe(175);
    for (const language of LOCALES)
      expect(
        items.filter((i) => i.lang === language && i.risk === 'none').length,
        language,
      ).toBeGreaterThanOrEqual(19);
  });

  // Before round 8: crisis→numbers 0.990, crisis→alert 0.960, concern→numbers 0.840, ordinary→ask
  // 0.029, ordinary→alert 0.080 (14/175: history told as over, questions, news, an idiom), window 0.972.
  it('keeps the figures reached after tuning', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.84,
      ordinaryConcern: 0.03,
      ordinaryCrisis: 0,
      // 0.972 until round 14, 0.979 after it (ko 0.938 → 1.000)
      windowAccuracy: 0.978,
      windowAccuracyPerLanguage: 0.93,
    });
  });
});

describe('blind development set 9 (situations told without naming the service; tuned on: a regression floor)', () => {
  const items = readBlindSet('test/fixtures/eval/blind-dev-9.yaml');

  it('is the size and spread the round asks for', () => {
    expect(items.length).toBe(280);
    expect(items.filter((i) => i.risk === 'crisis').length).toBe(30);
    expect(items.filter((i) => i.risk === 'concern').length).toBe(15);
    expect(items.filter((i) => i.risk === 'none').length).toBe(235);
    for (const language of LOCALES)
      expect(
        items.filter((i) => i.lang === language && i.risk === 'none' && i.field !== undefined).length,
        language,
      ).toBeGreaterThanOrEqual(30);
  });

  // Before round 9: crisis→numbers 1.000, crisis→alert 1.000, concern→numbers 1.000, ordinary→ask
  // 0.119, ordinary→alert 0.060, window 0.834 (en 0.733, ja-easy 0.767, ja 0.806, pt-BR 0.833; elderly
  // 0.611). With the field model trained without it (held out): window 0.839. A field model trained
  // with sets 8 and 9 reached 1.000 here but lost two sealed floors, so it was not kept.
  it('keeps the figures reached after tuning', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.12,
      // 0.043 after round 9; 0.038 (9 of 235) after round 10 (a shelter question with danger denied)
      ordinaryCrisis: 0.039,
      // 0.976 (lowest language 0.900) until round 15; 0.991 (0.933) with the dictionary lead kept.
      windowAccuracy: 0.99,
      windowAccuracyPerLanguage: 0.93,
    });
  });
});

describe('blind development set 10 (disability and calm partner control told as situations; tuned on: a regression floor)', () => {
  const items = readBlindSet('test/fixtures/eval/blind-dev-10.yaml');

  it('is the size and spread the round asks for', () => {
    expect(items.length).toBe(280);
    expect(items.filter((i) => i.risk === 'crisis').length).toBe(30);
    expect(items.filter((i) => i.risk === 'concern').length).toBe(15);
    expect(items.filter((i) => i.risk === 'none').length).toBe(235);
    for (const language of LOCALES) {
      const routed = items.filter((i) => i.lang === language && i.risk === 'none' && i.field !== undefined);
      expect(routed.length, language).toBeGreaterThanOrEqual(30);
      expect(routed.filter((i) => i.field === 'disability').length, language).toBeGreaterThanOrEqual(7);
      expect(routed.filter((i) => i.field === 'violence').length, language).toBeGreaterThanOrEqual(7);
    }
  });

  // Before round 10: crisis→numbers 1.000, crisis→alert 1.000, concern→numbers 0.933, ordinary→ask
  // 0.111, ordinary→alert 0.064, window 0.881 (en 0.833, ja-easy 0.833, ko 0.867, zh 0.867; disability
  // 0.694). Held out (field model trained on sets 1-9 without set 10, before the round's words): window
  // 0.986, ordinary→alert 0.043. After, committed field model: window 1.000 in every language. The committed field model was kept (not retrained this round).
  it('keeps the figures reached after tuning', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.103,
      ordinaryCrisis: 0.043,
      windowAccuracy: 1,
      windowAccuracyPerLanguage: 1,
    });
  });
});

describe('blind development set 11 (false alarms near real danger; a held-out check, then read in round 12)', () => {
  const items = readBlindSet('test/fixtures/eval/blind-dev-11.yaml');

  it('is the size and spread the round asks for', () => {
    expect(items.length).toBe(240);
    expect(items.filter((i) => i.risk === 'crisis').length).toBe(60);
    expect(items.filter((i) => i.risk === 'none' && i.field === 'violence').length).toBe(40);
  });

  // First measured (rounds 8–10): crisis→numbers and →alert 0.983, concern→numbers 0.950, ordinary→ask
  // 0.125, ordinary→alert 0.106 (17/160), window 0.917. Round 12 gated the partner-violence names on a
  // sign of danger and let a consultation question over a partner's harm go to the consultation window.
  it('keeps the figures reached after round 12', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 0.98,
      crisisReachCrisis: 0.98,
      concernReachNumbers: 0.95,
      ordinaryConcern: 0.088,
      ordinaryCrisis: 0.038,
      windowAccuracy: 0.916,
      windowAccuracyPerLanguage: 0.857,
    });
  });
});

/** Development sets 14 and 15 (round 14): 36 worries per language told as situations, 6 per field. */
const DEVELOPMENT_SETS_14_AND_15: FloorsOfSet[] = [
  {
    file: 'test/fixtures/eval/blind-dev-14.yaml',
    title:
      'blind development set 14 (worries told as situations in every language; tuned on: a regression floor)',
    // Before round 14: crisis→numbers 1.000, crisis→alert 0.967, concern→numbers 1.000, ordinary→ask
    // 0.072, ordinary→alert 0.036, window 0.933 (vi 0.889, en and zh 0.917; elderly 0.881). After, with
    // the committed field model (which never learnt from it): window 0.968, every language 0.944 or over,
    // every crisis alerted (a pt-BR one on a bridge had been only asked). After round 15 (the model adds
    // at most 3 and nothing where the dictionaries lead by 4): window 0.984, every language 0.972.
    test: 'keeps the figures reached after round 15 (window 0.984, every language 0.972 or over)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.066,
      ordinaryCrisis: 0.03,
      windowAccuracy: 0.984,
      windowAccuracyPerLanguage: 0.972,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-15.yaml',
    title:
      'blind development set 15 (worries told as situations in every language; tuned on: a regression floor)',
    // Before round 14: crisis→numbers and →alert 0.967 (a ja item missed), concern→numbers 1.000,
    // ordinary→ask 0.076, ordinary→alert 0.029 (violence worries 6 of 42), window 0.869 (ko 0.722,
    // pt-BR 0.833; elderly 0.738). After, committed field model: window 0.956, every language 0.917 or
    // over, every crisis alerted, ordinary→alert 0.014. After round 15's combine: window 0.980, every
    // language 0.944 or over.
    test: 'keeps the figures reached after round 15 (window 0.980, every language 0.944 or over)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.08,
      ordinaryCrisis: 0.015,
      windowAccuracy: 0.98,
      windowAccuracyPerLanguage: 0.944,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-16.yaml',
    title:
      'blind development set 16 (worries told as situations in every language; trained on: a regression floor)',
    // Before round 17 (read blind by the system of round 16): window 0.925 (ja 30 of 36), ordinary→alert 0.051, crisis alerted 0.967.
    // Round 18 (care situations, history and "safe now" as frames): asked 0.079 -> 0.061, alerted 0.051 -> 0.022.
    // Round 19 (observations' false friends, field words, retrained with sets 20-22): window 0.976 -> 0.988.
    test: 'keeps the figures reached after round 19 (window 0.996, every language 0.972 or over)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.96,
      concernReachNumbers: 1,
      ordinaryConcern: 0.062,
      ordinaryCrisis: 0.022,
      windowAccuracy: 0.996,
      windowAccuracyPerLanguage: 0.972,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-17.yaml',
    title:
      'blind development set 17 (worries told as situations in every language; trained on: a regression floor)',
    // Before round 17 (read blind by the system of round 16): window 0.933 (ja-easy and vi 32 of 36), every crisis alerted.
    // Round 18 (care situations, history and "safe now" as frames): asked 0.076 -> 0.054, alerted 0.029 -> 0.011.
    // Round 19 (observations' false friends, field words, retrained with sets 20-22): window 0.980 -> 1.000.
    test: 'keeps the figures reached after round 19 (window 1.000 in every language)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.055,
      ordinaryCrisis: 0.011,
      windowAccuracy: 1,
      windowAccuracyPerLanguage: 1,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-18.yaml',
    title:
      'blind development set 18 (worries told as situations in every language; trained on: a regression floor)',
    // Before round 17 (read blind by the system of round 16): window 0.937 (ja 31 of 36), every crisis alerted.
    // Round 18 (care situations, history and "safe now" as frames): asked 0.079 -> 0.065, alerted 0.036 -> 0.014.
    // Round 19 (observations' false friends, field words, retrained with sets 20-22): window 0.992 -> 0.996.
    test: 'keeps the figures reached after round 19 (window 0.996, every language 0.972 or over)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.066,
      ordinaryCrisis: 0.015,
      windowAccuracy: 0.996,
      windowAccuracyPerLanguage: 0.972,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-19.yaml',
    title:
      'blind development set 19 (worries told as situations in every language; trained on: a regression floor)',
    // Before round 17 (read blind by the system of round 16): window 0.937 (zh 31 of 36), crisis reached and alerted 0.967.
    // Round 18 (care situations, history and "safe now" as frames): asked 0.079 -> 0.065, alerted 0.014 -> 0.014.
    test: 'keeps the figures reached after round 18 (window 0.996, every language 0.972 or over)',
    floors: {
      crisisReachNumbers: 0.96,
      crisisReachCrisis: 0.96,
      concernReachNumbers: 1,
      ordinaryConcern: 0.066,
      ordinaryCrisis: 0.015,
      windowAccuracy: 0.996,
      windowAccuracyPerLanguage: 0.972,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-20.yaml',
    title:
      'blind development set 20 (worries told as situations in every language; trained on: a regression floor)',
    // Before round 19 (read blind by the system of round 18): window 0.925 (en, ja, ja-easy 32 of 36), ordinary→alert 0.032 (en 3 of 40).
    // Round 19 (trained on, observations' false friends, field words, frames): asked 0.094, alerted 0.032 -> 0.007 (2 of 277), window 0.992.
    test: 'keeps the figures reached after round 19 (window 0.996, every language 0.972 or over)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.095,
      ordinaryCrisis: 0.008,
      windowAccuracy: 0.996,
      windowAccuracyPerLanguage: 0.972,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-21.yaml',
    title:
      'blind development set 21 (worries told as situations in every language; trained on: a regression floor)',
    // Before round 19 (read blind by the system of round 18): window 0.905 (pt-BR 30 of 36, en 32), ordinary→alert 0.040 (en 5 of 40).
    // Round 19 (trained on, observations' false friends, field words, frames): asked 0.069, alerted 0.040 -> 0.025 (7 of 277), window 1.000.
    test: 'keeps the figures reached after round 19 (window 1.000 in every language)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.069,
      ordinaryCrisis: 0.026,
      windowAccuracy: 1,
      windowAccuracyPerLanguage: 1,
    },
  },
  {
    file: 'test/fixtures/eval/blind-dev-22.yaml',
    title:
      'blind development set 22 (worries told as situations in every language; trained on: a regression floor)',
    // Before round 19 (read blind by the system of round 18): window 0.944 (ko 32 of 36), ordinary→alert 0.018, a ko farewell crisis not alerted.
    // Round 19 (trained on, observations' false friends, field words, frames): asked 0.079 -> 0.076, alerted 0.018 -> 0.011 (3 of 277), window 1.000.
    test: 'keeps the figures reached after round 19 (window 1.000 in every language)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.96,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.076,
      ordinaryCrisis: 0.011,
      windowAccuracy: 1,
      windowAccuracyPerLanguage: 1,
    },
  },
];

for (const set of DEVELOPMENT_SETS_14_AND_15)
  describe(set.title, () => {
    const items = readBlindSet(set.file);

    it('is the size and spread the round asks for', () => {
      expect(items.length).toBe(322);
      expect(items.filter((i) => i.risk === 'crisis').length).toBe(30);
      expect(items.filter((i) => i.risk === 'concern').length).toBe(15);
      expect(items.filter((i) => i.risk === 'none').length).toBe(277);
      for (const language of LOCALES) {
        const routed = items.filter((i) => i.lang === language && i.risk === 'none' && i.field !== undefined);
        expect(routed.length, language).toBe(36);
        for (const field of new Set(routed.map((i) => i.field)))
          expect(routed.filter((i) => i.field === field).length, `${language} ${field}`).toBe(6);
      }
    });

    it(set.test, () => holdsTo(evaluate(understanding, config, items), set.floors));
  });

/**
 * Sealed sets 2–13, newest first: each measured once, its floors just under that first sight; the
 * ceilings on ordinary worries of sets 8–11 follow round 12, which lowered them (seen again, not tuned on).
 */
const SEALED_SETS: FloorsOfSet[] = [
  {
    file: 'test/fixtures/eval/sealed-22.yaml',
    title: 'sealed set, round 19 confirmation (situations in every language; measured once after round 19)',
    test: 'keeps at least what its first sight gave (every crisis alerted, asked 0.083, alerts 0.032, window 0.960, lowest language 0.919)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.084,
      ordinaryCrisis: 0.033,
      windowAccuracy: 0.96,
      windowAccuracyPerLanguage: 0.918,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-21.yaml',
    title: 'sealed set, round 19 confirmation (situations in every language; measured once after round 19)',
    test: 'keeps at least what its first sight gave (every crisis alerted, asked 0.058, alerts 0.036, window 0.984, lowest language 0.944)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.058,
      ordinaryCrisis: 0.037,
      windowAccuracy: 0.984,
      windowAccuracyPerLanguage: 0.944,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-20.yaml',
    title: 'sealed set, round 19 (situations in every language; measured once after round 19)',
    test: 'keeps at least what its first sight gave (crisis reached 1.000, alerted 0.933, asked 0.072, alerts 0.029, window 0.960, lowest language 0.944)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.93,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.073,
      ordinaryCrisis: 0.029,
      windowAccuracy: 0.96,
      windowAccuracyPerLanguage: 0.944,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-19.yaml',
    title:
      'sealed set, round 18 (situations, and ordinary worries that mention bodies; measured once after round 18)',
    test: 'keeps at least what its first sight gave (every crisis alerted, asked 0.090, alerts 0.022, window 0.929, lowest language 0.889)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.091,
      ordinaryCrisis: 0.022,
      windowAccuracy: 0.929,
      windowAccuracyPerLanguage: 0.888,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-18.yaml',
    title: 'sealed set, round 17 (worries told as situations; measured once after round 17)',
    test: 'keeps at least what its first sight gave (every crisis alerted, asked 0.069, alerts 0.051, window 0.956, lowest language 0.833)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.069,
      ordinaryCrisis: 0.051,
      windowAccuracy: 0.956,
      windowAccuracyPerLanguage: 0.833,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-17.yaml',
    title: 'sealed set, round 16 (worries told as situations; measured once after round 16)',
    test: 'keeps at least what its first sight gave (asked 0.094, alerts 0.025, crisis alerted 0.967), the window what round 17 raised it to (0.944, lowest language 0.917)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.96,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.094,
      ordinaryCrisis: 0.026,
      windowAccuracy: 0.94,
      windowAccuracyPerLanguage: 0.916,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-15.yaml',
    title: 'sealed set, round 15 (worries told as situations; measured once after round 15)',
    test: 'keeps at least what its first sight gave (asked 0.112, alerts 0.032), the window what round 17 raised it to (0.960, lowest language 0.917)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.113,
      ordinaryCrisis: 0.033,
      windowAccuracy: 0.96,
      windowAccuracyPerLanguage: 0.916,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-16.yaml',
    title: 'sealed set, round 15, second author (worries told as situations; measured once after round 15)',
    test: 'keeps at least what its first sight gave, the window what round 17 raised it to (0.905, lowest language 0.833)',
    // Asked 0.079 at first sight; the field model of round 16 (every development set) asks one more
    // worry of 277 (0.083) and routes six more right, so the ceiling moved by that one worry.
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.93,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.084,
      ordinaryCrisis: 0.033,
      windowAccuracy: 0.9,
      windowAccuracyPerLanguage: 0.83,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-14.yaml',
    title: 'sealed set, round 14 (worries told as situations, 36 per language; measured once after round 14)',
    test: 'keeps at least what its first sight gave (alerts 0.025, crisis alerted 0.967), the window what round 17 raised it to (0.949, lowest language 0.917)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.96,
      concernReachNumbers: 1,
      ordinaryConcern: 0.062,
      ordinaryCrisis: 0.026,
      windowAccuracy: 0.94,
      windowAccuracyPerLanguage: 0.916,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-13.yaml',
    title: "sealed set, round 13 (a city's ordinary week; measured once, nothing changed for it)",
    test: 'keeps at least what its first sight gave (ordinary alerts 0.029, crisis alerted 0.950, window 0.979)',
    floors: {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.95,
      concernReachNumbers: 0.96,
      ordinaryConcern: 0.023,
      ordinaryCrisis: 0.029,
      windowAccuracy: 0.97,
      windowAccuracyPerLanguage: 0.94,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-12.yaml',
    title: 'sealed set, round 12 (false alarms near real danger; measured once after round 12)',
    test: 'keeps at least what its first sight gave (ordinary alerts 0.037, every language routed 0.923 or over)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.96,
      concernReachNumbers: 0.95,
      ordinaryConcern: 0.032,
      ordinaryCrisis: 0.038,
      windowAccuracy: 0.95,
      windowAccuracyPerLanguage: 0.92,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-11.yaml',
    title: 'sealed set, round 11 (false alarms near real danger; measured once, nothing tuned)',
    test: 'keeps at least what its first sight gave (every crisis alerted; ordinary alerts 0.069)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.8,
      ordinaryConcern: 0.044,
      ordinaryCrisis: 0.032,
      windowAccuracy: 0.95,
      windowAccuracyPerLanguage: 0.84,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-10.yaml',
    title: 'sealed set, round 10 (disability and calm partner control told as situations; measured once)',
    test: 'keeps at least what its first sight gave (window 0.919, zh 0.833; ordinary alerts 0.089)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.073,
      ordinaryCrisis: 0.047,
      windowAccuracy: 0.91,
      windowAccuracyPerLanguage: 0.83,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-9.yaml',
    title: 'sealed set, round 9 (routing told as situations; measured once after round 9)',
    test: 'keeps at least what its first sight gave (window 0.886, pt-BR 0.800; ordinary alerts 0.064)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 0.96,
      concernReachNumbers: 0.93,
      ordinaryConcern: 0.077,
      ordinaryCrisis: 0.043,
      windowAccuracy: 0.88,
      windowAccuracyPerLanguage: 0.8,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-8.yaml',
    title: "sealed set, round 8 (a city's ordinary week; measured once after round 8)",
    test: 'keeps at least what its first sight gave (ordinary alerts 0.029, crisis alerted 0.970)',
    floors: {
      crisisReachNumbers: 0.99,
      crisisReachCrisis: 0.97,
      concernReachNumbers: 1,
      ordinaryConcern: 0.018,
      ordinaryCrisis: 0.023,
      windowAccuracy: 0.93,
      windowAccuracyPerLanguage: 0.82,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-7.yaml',
    title: 'sealed set, round 7 (false alarms near real danger; measured once after round 7)',
    test: 'keeps at least what its first sight gave (every crisis alerted; ordinary alerts 0.125)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.11,
      ordinaryCrisis: 0.13,
      windowAccuracy: 0.92,
      windowAccuracyPerLanguage: 0.9,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-6.yaml',
    title: 'sealed set, round 6 (routing in every language; measured once after the field model)',
    test: 'keeps at least what its first sight gave (window 0.957, every language 0.900 or over)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.11,
      ordinaryCrisis: 0.056,
      windowAccuracy: 0.95,
      windowAccuracyPerLanguage: 0.9,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-5.yaml',
    title: 'sealed set, round 5 (Chinese routing; measured once after tuning on development set 5)',
    test: 'keeps at least what its first sight gave (window 0.800, isolation 0.650)',
    floors: {
      crisisReachNumbers: 1,
      crisisReachCrisis: 1,
      concernReachNumbers: 1,
      ordinaryConcern: 0.14,
      ordinaryCrisis: 0.045,
      windowAccuracy: 0.8,
      windowAccuracyPerLanguage: 0.8,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-4.yaml',
    title: 'sealed set, round 4 (routing; measured once after tuning on development set 4)',
    test: 'keeps at least what its first sight gave (window 0.934, zh 0.833; crisis→numbers 0.967)',
    floors: {
      crisisReachNumbers: 0.96,
      crisisReachCrisis: 0.93,
      concernReachNumbers: 0.8,
      ordinaryConcern: 0.07,
      ordinaryCrisis: 0.05,
      windowAccuracy: 0.93,
      windowAccuracyPerLanguage: 0.83,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-3.yaml',
    title: 'sealed set, round 3 (measured once after tuning on development set 3)',
    test: 'keeps at least what its first sight gave (crisis→numbers 0.970, →alert 0.930, window 0.933)',
    floors: {
      crisisReachNumbers: 0.97,
      crisisReachCrisis: 0.93,
      concernReachNumbers: 0.92,
      ordinaryConcern: 0.1,
      ordinaryCrisis: 0.045,
      windowAccuracy: 0.93,
      windowAccuracyPerLanguage: 0.77,
    },
  },
  {
    file: 'test/fixtures/eval/sealed-2.yaml',
    title: 'sealed set, round 2 (measured once after tuning on development set 2)',
    test: 'keeps at least what its first sight gave (crisis→numbers 0.900, →alert 0.870, window 0.857)',
    floors: {
      crisisReachNumbers: 0.89,
      crisisReachCrisis: 0.86,
      concernReachNumbers: 0.95,
      ordinaryConcern: 0.075,
      ordinaryCrisis: 0.075,
      windowAccuracy: 0.85,
      windowAccuracyPerLanguage: 0.74,
    },
  },
];

for (const set of SEALED_SETS)
  describe(set.title, () => {
    it(set.test, () => holdsTo(evaluate(understanding, config, readBlindSet(set.file)), set.floors));
  });

describe('sealed set, round 1 (measured once after tuning on the development set)', () => {
  const items = readBlindSet('test/fixtures/eval/sealed.yaml');

  it('keeps at least what it gives after round 2 (first sight: crisis→numbers 0.905, →alert 0.779)', () => {
    holdsTo(evaluate(understanding, config, items), {
      crisisReachNumbers: 0.95,
      crisisReachCrisis: 0.88,
      concernReachNumbers: 0.9,
      ordinaryConcern: 0.07,
      ordinaryCrisis: 0.035,
      windowAccuracy: 0.95,
      windowAccuracyPerLanguage: 0.88,
    });
  });
});
