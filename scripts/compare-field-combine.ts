import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMunicipalityConfig } from '../src/core/municipality/load-municipality-config.js';
import { routeToWindow } from '../src/core/municipality/route-to-window.js';
import { ranked, type TextClassification } from '../src/core/understanding/classify-text.js';
import {
  type FieldModelFile,
  loadFieldModel,
  withFieldModel,
} from '../src/core/understanding/field-model.js';
import { loadUnderstanding } from '../src/core/understanding/load-understanding.js';
import { KNOWN_FIELD_IDS, type KnownFieldId } from '../src/core/vocabulary.js';
import { sharedLinderaMorphAnalyzer } from '../src/understanding/lindera-morph-analyzer.js';
import { readBlindSet } from './eval/blind-set.js';
import { firstProposalWindow } from './eval/evaluate-understanding.js';

/**
 * `npx tsx scripts/compare-field-combine.ts --snapshot <lexicon dir>=<development set> ...`: how the
 * field model's probabilities should join the dictionaries' scores, measured where the dictionaries
 * read blind. Each snapshot pairs a development set with the lexicons as they were before the round
 * that tuned on it (e.g. `git archive 1b6512d flows/lexicon | tar -x -C /tmp/base-14`), so neither the
 * dictionaries nor the field model (`--field-model`, default the committed one) saw its wording.
 * Every candidate combine (the trainer's min p × weight grid, each with no lead kept, a dictionary
 * lead of L kept, or the model's addition capped at a multiple of the dictionaries' top score) is
 * scored on the first-proposal window of the ordinary worries, pooled over the snapshots, and printed
 * weakest language first, then overall. Never give it a sealed set.
 */
const { values } = parseArgs({
  options: {
    snapshot: { type: 'string', multiple: true, default: [] },
    'field-model': { type: 'string', default: 'flows/model/field-model.json' },
    config: { type: 'string', default: 'config/municipality.example.yaml' },
    top: { type: 'string', default: '40' },
    /** A candidate's name as printed: list the worries whose window it changes against the committed combine. */
    diff: { type: 'string' },
  },
});
if (values.snapshot.some((s) => /sealed/i.test(s))) {
  console.error('Sealed sets are measured once, never compared on.');
  process.exit(2);
}

type Rule =
  | { kind: 'current' }
  | { kind: 'lead'; lead: number }
  | { kind: 'cap'; factor: number }
  | { kind: 'none' };
interface Candidate {
  name: string;
  combine: FieldModelFile['combine'];
  rule: Rule;
}

const config = loadMunicipalityConfig(path.resolve(values.config));
const fieldModel = loadFieldModel(path.resolve(values['field-model']));

interface Worry {
  set: string;
  id: string;
  text: string;
  language: string;
  expected: string;
  lexicon: TextClassification;
  probabilities: number[];
}
const worries: Worry[] = [];
for (const snapshot of values.snapshot) {
  const [lexiconDir, setFile] = snapshot.split('=') as [string, string];
  const classifier = loadUnderstanding(path.resolve(lexiconDir), sharedLinderaMorphAnalyzer());
  for (const item of readBlindSet(setFile)) {
    if (item.risk !== 'none' || !item.field) continue;
    worries.push({
      set: path.basename(setFile, '.yaml'),
      id: item.id,
      text: item.text,
      language: item.lang,
      expected: routeToWindow(config, { fields: [item.field], patterns: [], origin: 'self' }).windowId,
      lexicon: classifier.classify(item.text),
      probabilities: fieldModel.predict(classifier.features(item.text)),
    });
  }
}

function combined(w: Worry, candidate: Candidate): TextClassification {
  const dictionary = new Map(Object.entries(w.lexicon.fieldScores) as [KnownFieldId, number][]);
  const top = Math.max(0, ...dictionary.values());
  let scores: Map<KnownFieldId, number>;
  const { rule, combine } = candidate;
  if (rule.kind === 'none') scores = dictionary;
  else if (rule.kind === 'lead')
    scores = withFieldModel(dictionary, w.probabilities, { ...combine, dictionaryLead: rule.lead });
  else if (rule.kind === 'cap' && top > 0) {
    // The cap limits what a field the model holds likely gains, not whether it counts.
    scores = new Map(dictionary);
    KNOWN_FIELD_IDS.forEach((field, i) => {
      const p = w.probabilities[i] ?? 0;
      if (p >= combine.minProbability)
        scores.set(field, (dictionary.get(field) ?? 0) + Math.min(combine.weight * p, rule.factor * top));
    });
  } else scores = withFieldModel(dictionary, w.probabilities, combine);
  return { ...w.lexicon, fields: ranked(scores, KNOWN_FIELD_IDS), fieldScores: Object.fromEntries(scores) };
}

const LANGUAGES = [...new Set(worries.map((w) => w.language))].sort();
function measure(candidate: Candidate, subset = worries) {
  const hits = new Map<string, [number, number]>();
  let all = 0;
  for (const w of subset) {
    const hit = firstProposalWindow(config, combined(w, candidate)) === w.expected;
    const own = hits.get(w.language) ?? [0, 0];
    hits.set(w.language, [own[0] + (hit ? 1 : 0), own[1] + 1]);
    if (hit) all++;
  }
  const rates = [...hits.values()].map(([h, t]) => h / t);
  return { overall: all / subset.length, weakest: Math.min(...rates), hits, all, total: subset.length };
}

const MIN_PROBABILITIES = [0.5, 0.6, 0.7, 0.8, 0.9];
const WEIGHTS = [0.5, 1, 2, 3, 4, 6, 8];
const RULES: Rule[] = [
  { kind: 'current' },
  ...[1, 2, 3, 4, 6].map((lead) => ({ kind: 'lead' as const, lead })),
  ...[0.5, 1, 1.5, 2].map((factor) => ({ kind: 'cap' as const, factor })),
];
const ruleName = (r: Rule) =>
  r.kind === 'current'
    ? 'current'
    : r.kind === 'lead'
      ? `lead>=${r.lead}`
      : r.kind === 'cap'
        ? `cap ${r.factor}×top`
        : 'dictionaries alone';
const candidates: Candidate[] = [
  { name: 'dictionaries alone', combine: { minProbability: 1, weight: 0 }, rule: { kind: 'none' } },
  ...MIN_PROBABILITIES.flatMap((minProbability) =>
    WEIGHTS.flatMap((weight) =>
      RULES.map((rule) => ({
        name: `${ruleName(rule)}, min p ${minProbability}, weight ${weight}`,
        combine: { minProbability, weight },
        rule,
      })),
    ),
  ),
];

const sets = [...new Set(worries.map((w) => w.set))];
const results = candidates.map((c) => ({
  c,
  pooled: measure(c),
  perSet: sets.map((s) =>
    measure(
      c,
      worries.filter((w) => w.set === s),
    ),
  ),
}));
results.sort((a, b) => b.pooled.weakest - a.pooled.weakest || b.pooled.overall - a.pooled.overall);

const committed = fieldModel.combine;
const f = (x: number) => x.toFixed(3);
console.log(
  `${worries.length} ordinary worries over ${sets.join(', ')}; committed combine min p ${committed.minProbability}, weight ${committed.weight}`,
);
console.log(`| candidate | weakest | overall | ${LANGUAGES.join(' | ')} | ${sets.join(' | ')} |`);
console.log(
  `| --- | --- | --- | ${LANGUAGES.map(() => '---').join(' | ')} | ${sets.map(() => '---').join(' | ')} |`,
);
const show = (r: (typeof results)[number]) =>
  console.log(
    `| ${r.c.name} | ${f(r.pooled.weakest)} | ${f(r.pooled.overall)} (${r.pooled.all}/${r.pooled.total}) | ${LANGUAGES.map(
      (l) => {
        const [h, t] = r.pooled.hits.get(l) ?? [0, 0];
        return `${f(h / t)}`;
      },
    ).join(' | ')} | ${r.perSet.map((s) => `${f(s.overall)} (${f(s.weakest)})`).join(' | ')} |`,
  );
const top = Number(values.top);
for (const r of results.slice(0, top)) show(r);
console.log('-- every candidate, pooled: weakest language / overall, by weight');
console.log(`| rule | min p | ${WEIGHTS.map((w) => `weight ${w}`).join(' | ')} |`);
console.log(`| --- | --- | ${WEIGHTS.map(() => '---').join(' | ')} |`);
for (const rule of RULES)
  for (const minProbability of MIN_PROBABILITIES) {
    const cells = WEIGHTS.map((weight) => {
      const r = results.find(
        (x) =>
          x.c.rule === rule && x.c.combine.minProbability === minProbability && x.c.combine.weight === weight,
      );
      return r ? `${f(r.pooled.weakest)} / ${f(r.pooled.overall)}` : '';
    });
    console.log(`| ${ruleName(rule)} | ${minProbability} | ${cells.join(' | ')} |`);
  }
console.log('-- at the committed min p and weight, every rule:');
for (const r of results.filter(
  (r) =>
    r.c.rule.kind === 'none' ||
    (r.c.combine.minProbability === committed.minProbability && r.c.combine.weight === committed.weight),
))
  show(r);

if (values.diff) {
  const candidate = candidates.find((c) => c.name === values.diff);
  if (!candidate) throw new Error(`no candidate named ${values.diff}`);
  const committedCandidate: Candidate = { name: 'committed', combine: committed, rule: { kind: 'current' } };
  console.log(`-- worries whose window ${candidate.name} changes (committed → candidate, expected):`);
  for (const w of worries) {
    const was = firstProposalWindow(config, combined(w, committedCandidate));
    const now = firstProposalWindow(config, combined(w, candidate));
    if (was !== now)
      console.log(
        `${now === w.expected ? '+' : was === w.expected ? '-' : '~'} ${w.set} ${w.id} ${was} → ${now} (${w.expected}) ${JSON.stringify(w.lexicon.fieldScores)} ${w.text}`,
      );
  }
}
