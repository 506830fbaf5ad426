import i18next from 'i18next';
import type { Translate, Translator } from '../core/ports/translator.js';
import { type LocaleResources, SOURCE_LANGUAGE } from './load-locales.js';

/**
 * An i18next instance over already-loaded resources. Keys are flat and dotted, so i18next's key and
 * namespace separators are off. Interpolation does not escape: each channel escapes for its own
 * markup (Slack mrkdwn) when it renders.
 */
/** More than every key of every locale: a bound, should a key ever come from outside the bundles. */
const MAX_PLAIN_TEXTS = 20_000;

export function createTranslator(
  resources: LocaleResources,
  /** Values every text may use, from the city's config ({{retentionDays}} in the privacy notice). */
  defaults: Record<string, string | number> = {},
  /** Values that differ by language (the front door's hours as the city wrote them in each). */
  perLanguage: Record<string, Record<string, string>> = {},
): Translator {
  const instance = i18next.createInstance();
  const namespaces = Object.keys(resources[SOURCE_LANGUAGE] ?? {});
  void instance.init({
    lng: SOURCE_LANGUAGE,
    fallbackLng: SOURCE_LANGUAGE,
    load: 'currentOnly',
    ns: namespaces,
    defaultNS: namespaces[0] ?? 'common',
    fallbackNS: namespaces,
    keySeparator: false,
    nsSeparator: false,
    initAsync: false,
    resources: {},
    interpolation: { escapeValue: false, defaultVariables: defaults },
  });
  // i18next normalises codes (ja-easy → ja-Easy); register each bundle under the code it will look up.
  const codeOf = (language: string) =>
    instance.services.languageUtils.formatLanguageCode(language) ?? language;
  for (const [language, byNamespace] of Object.entries(resources)) {
    for (const [ns, keys] of Object.entries(byNamespace))
      instance.addResourceBundle(codeOf(language), ns, keys);
  }
  const languages = [
    SOURCE_LANGUAGE,
    ...Object.keys(resources)
      .filter((l) => l !== SOURCE_LANGUAGE)
      .sort(),
  ];

  const bound = new Map<string, Translate>();
  for (const language of languages) {
    const t = instance.getFixedT(language);
    const own = perLanguage[language] ?? perLanguage[SOURCE_LANGUAGE] ?? {};
    // A text without values is the same every time: looked up once (i18next's lookup, fallback and
    // interpolation cost more than the rest of a turn's rendering, and option labels are read on
    // every typed answer).
    const plain = new Map<string, string>();
    bound.set(language, (key, values) => {
      if (values !== undefined) return t(key, { ...own, ...values }) as string;
      let text = plain.get(key);
      if (text === undefined) {
        text = t(key, own) as string;
        if (plain.size < MAX_PLAIN_TEXTS) plain.set(key, text);
      }
      return text;
    });
  }
  const source = bound.get(SOURCE_LANGUAGE) as Translate;

  return {
    languages,
    forLanguage: (language) => bound.get(language) ?? source,
    negotiate(tag) {
      if (!tag) return SOURCE_LANGUAGE;
      const lower = tag.toLowerCase();
      const exact = languages.find((l) => l.toLowerCase() === lower);
      if (exact) return exact;
      const primary = lower.split('-')[0];
      // Portuguese speakers in Japan are overwhelmingly Brazilian; Chinese falls back to simplified.
      const byPrimary = languages.find(
        (l) => l.toLowerCase() === primary || l.toLowerCase().startsWith(`${primary}-`),
      );
      return byPrimary && byPrimary !== 'ja-easy' ? byPrimary : SOURCE_LANGUAGE;
    },
  };
}
