import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CodedError } from '../core/coded-error.js';
import type { LocaleResources } from '../core/ports/translator.js';

/** Japanese is the source language: every other locale must have exactly its keys. */
export const SOURCE_LANGUAGE = 'ja';

const localeFileSchema = z.record(z.string().min(1), z.string());

// The shape is the core's (it checks flows against it); this module fills it from the files.
export type { LocaleResources };

export class LocaleError extends CodedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LOCALE_INVALID', 'permanent', message, options);
  }
}

/** Reads `locales/<language>/<namespace>.json`, each a flat map of dotted keys to strings. */
export function loadLocales(dir: string): LocaleResources {
  const resources: LocaleResources = {};
  for (const language of readdirSync(dir, { withFileTypes: true })) {
    if (!language.isDirectory()) continue;
    const namespaces: Record<string, Record<string, string>> = {};
    for (const file of readdirSync(path.join(dir, language.name))) {
      if (!file.endsWith('.json')) continue;
      const filePath = path.join(dir, language.name, file);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(filePath, 'utf8'));
      } catch (error) {
        throw new LocaleError(`${filePath}: not valid JSON (${(error as Error).message})`, { cause: error });
      }
      const parsed = localeFileSchema.safeParse(raw);
      if (!parsed.success) {
        const where = parsed.error.issues
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
        throw new LocaleError(`${filePath}: ${where}`);
      }
      namespaces[file.slice(0, -'.json'.length)] = parsed.data;
    }
    resources[language.name] = namespaces;
  }
  if (!resources[SOURCE_LANGUAGE])
    throw new LocaleError(`${dir}: no ${SOURCE_LANGUAGE}/ folder (the source language)`);
  return resources;
}

/** Every (namespace, key) of the source language missing from another locale, and every extra one. */
export function findLocaleGaps(resources: LocaleResources): string[] {
  const gaps: string[] = [];
  const source = resources[SOURCE_LANGUAGE] ?? {};
  for (const [language, namespaces] of Object.entries(resources)) {
    if (language === SOURCE_LANGUAGE) continue;
    for (const [ns, keys] of Object.entries(source)) {
      for (const key of Object.keys(keys)) {
        if (!namespaces[ns]?.[key]?.trim()) gaps.push(`${language}/${ns}.json: missing "${key}"`);
      }
    }
    for (const [ns, keys] of Object.entries(namespaces)) {
      for (const key of Object.keys(keys)) {
        if (source[ns]?.[key] === undefined)
          gaps.push(`${language}/${ns}.json: "${key}" is not in ${SOURCE_LANGUAGE}`);
      }
    }
  }
  return gaps;
}
