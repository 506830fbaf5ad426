/** The core's view of localisation: a function from a key to display text in one language. */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

export interface Translator {
  /** The languages the service has complete text for; the first is the source language. */
  readonly languages: readonly string[];
  /** A `t` bound to one language (unknown languages fall back to the source language). */
  forLanguage(language: string): Translate;
  /** Maps a platform language tag (BCP-47, e.g. "zh-Hans-CN", "pt", "en-US") to a supported language. */
  negotiate(tag: string | undefined): string;
}

/** Every text of every language, as the core checks flows against it: language → namespace → key → text. */
export type LocaleResources = Record<string, Record<string, Record<string, string>>>;
