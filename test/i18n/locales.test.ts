import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { createTranslator } from '../../src/i18n/create-translator.js';
import { findLocaleGaps, LocaleError, loadLocales, SOURCE_LANGUAGE } from '../../src/i18n/load-locales.js';

const resources = loadLocales(path.join(projectRoot, 'locales'));

describe('locales', () => {
  it('has every source key in every locale, and no extra keys', () => {
    expect(Object.keys(resources)).toContain(SOURCE_LANGUAGE);
    expect(findLocaleGaps(resources)).toEqual([]);
  });

  it('reports a missing key with the locale file and key', () => {
    const gaps = findLocaleGaps({
      ja: { common: { 'a.b': 'あ', 'a.c': 'い' } },
      en: { common: { 'a.b': 'A', 'x.y': 'X' } },
    });
    expect(gaps).toEqual(['en/common.json: missing "a.c"', 'en/common.json: "x.y" is not in ja']);
  });

  it('refuses a locale file that is not a flat map of strings, naming the file', () => {
    const dir = path.join(projectRoot, 'test', 'fixtures', 'locales-broken');
    expect(() => loadLocales(dir)).toThrowError(LocaleError);
    expect(() => loadLocales(dir)).toThrowError(/locales-broken[/\\]en[/\\]common\.json: nested/);
  });
});

describe('createTranslator', () => {
  const translator = createTranslator(resources);

  it('returns real text, not the key (a wrong path would silently return keys)', () => {
    const t = translator.forLanguage('ja');
    expect(t('welcome.notice.about')).toContain('相談');
    expect(translator.forLanguage('en')('welcome.notice.about')).toMatch(/welfare/);
    expect(translator.forLanguage('ja-easy')('welcome.notice.about')).not.toBe(t('welcome.notice.about'));
  });

  it('interpolates without HTML escaping (channels escape for their own markup)', () => {
    expect(translator.forLanguage('ja')('proposal.question', { about: '<b>&' })).toContain('「<b>&」');
  });

  it('falls back to Japanese for an unsupported language', () => {
    expect(translator.forLanguage('xx')('welcome.notice.about')).toBe(
      translator.forLanguage('ja')('welcome.notice.about'),
    );
  });

  it('negotiates platform language tags to supported languages', () => {
    expect(translator.negotiate(undefined)).toBe('ja');
    expect(translator.negotiate('en-US')).toBe('en');
    expect(translator.negotiate('EN')).toBe('en');
    expect(translator.negotiate('xx-YY')).toBe('ja');
  });
});
