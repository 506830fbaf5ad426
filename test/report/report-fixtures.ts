import path from 'node:path';
import { projectRoot } from '../../src/config.js';
import { parseMunicipalityConfig } from '../../src/core/municipality/load-municipality-config.js';
import type { MunicipalityConfig } from '../../src/core/municipality/municipality-config-schema.js';
import type { CaseRecord } from '../../src/core/ports/store.js';
import { createTranslator } from '../../src/i18n/create-translator.js';
import { loadLocales } from '../../src/i18n/load-locales.js';

/** The project's own locales, as the report CLI loads them. */
export const translator = createTranslator(loadLocales(path.join(projectRoot, 'locales')));

const weekdays = { open: '08:30', close: '17:15' };
const officeHours = {
  mon: [weekdays],
  tue: [weekdays],
  wed: [weekdays],
  thu: [weekdays],
  fri: [weekdays],
};

function window(id: string, kind: string, ja: string, fields: string[], sat = false) {
  return {
    id,
    kind,
    names: { ja },
    fields,
    phone: '0561-00-1234',
    hours: sat ? { ...officeHours, sat: [{ open: '08:30', close: '12:00' }] } : officeHours,
  };
}

/** A small city: one window per field, a coordinator and an outreach team; 包括 is open on Saturday mornings. */
export const reportConfig: MunicipalityConfig = parseMunicipalityConfig(
  {
    version: 1,
    municipality: { id: 'test-city', names: { ja: 'テスト市' } },
    frontDoor: {
      hours: { ja: '平日 8:30〜17:15' },
      privacyPolicyUrl: 'https://city.example.jp/privacy',
      termsUrl: 'https://city.example.jp/terms',
    },
    areas: [{ id: 'north', names: { ja: '北部' } }],
    windows: [
      window('houkatsu', 'single-field', '地域包括支援センター', ['elderly'], true),
      window('shogai', 'single-field', '障害者相談支援センター', ['disability']),
      window('kodomo', 'single-field', 'こども家庭センター', ['children']),
      window('kurashi', 'single-field', 'くらしサポート窓口', ['livelihood']),
      window('tasoukan', 'coordination', '多機関協働', ['isolation', 'violence']),
      window('outreach', 'outreach', 'まちの守り人', []),
    ],
  },
  'test-city.yaml',
);

let seq = 0;

/** A case opened at a Japanese wall-clock time, e.g. jst('2026-11-10T10:00'). */
export const jst = (local: string) => new Date(`${local}:00+09:00`);

export function caseRecord(createdAt: Date, overrides: Partial<CaseRecord> = {}): CaseRecord {
  seq++;
  return {
    id: `case-${seq}`,
    number: `2026-${String(seq).padStart(6, '0')}`,
    residentKey: `local:resident-${seq}`,
    channel: 'line',
    origin: 'self',
    anonymous: false,
    windowId: 'houkatsu',
    fields: ['elderly'],
    patterns: [],
    urgent: false,
    language: 'ja',
    answers: {},
    createdAt,
    status: 'pending',
    version: 1,
    updatedAt: createdAt,
    rerouteCount: 0,
    reopenCount: 0,
    ...overrides,
  };
}

/** `n` cases, each opened on a weekday morning (the windows are open) in November 2026. */
export function many(n: number, overrides: Partial<CaseRecord> = {}): CaseRecord[] {
  return Array.from({ length: n }, () => caseRecord(jst('2026-11-10T10:00'), overrides));
}
