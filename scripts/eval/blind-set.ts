import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { CRISIS_CATEGORIES, KNOWN_FIELD_IDS, LOCALES } from '../../src/core/vocabulary.js';

/**
 * A blind evaluation item (test/fixtures/eval/*.yaml): one resident's first message, labelled the way
 * a trained counsellor would judge it. Written without reading the lexicons or the model.
 */
export const RISK_TIERS = ['none', 'concern', 'crisis'] as const;
export type RiskTierLabel = (typeof RISK_TIERS)[number];

export const blindItemSchema = z
  .strictObject({
    id: z.string().min(1),
    lang: z.enum(LOCALES),
    profile: z.enum(LOCALES).optional(),
    speaker: z.enum(['self', 'family', 'bystander']),
    risk: z.enum(RISK_TIERS),
    category: z.enum(CRISIS_CATEGORIES).optional(),
    style: z.string().min(1),
    field: z.enum(KNOWN_FIELD_IDS).optional(),
    text: z.string().min(1),
  })
  .refine((item) => item.risk === 'none' || item.category !== undefined, {
    message: 'a crisis or concern item names its category',
  })
  .refine((item) => item.risk === 'none' || item.field === undefined, {
    message: 'only ordinary worries name a field',
  });

export type BlindItem = z.infer<typeof blindItemSchema>;

export function readBlindSet(file: string): BlindItem[] {
  const items = z.array(blindItemSchema).parse(parse(readFileSync(file, 'utf8')));
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new Error(`${file}: duplicate id ${item.id}`);
    ids.add(item.id);
  }
  return items;
}
