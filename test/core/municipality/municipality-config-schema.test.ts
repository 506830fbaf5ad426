import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadMunicipalityConfig } from '../../../src/core/municipality/load-municipality-config.js';
import {
  type MunicipalityConfigInput,
  municipalityConfigSchema,
} from '../../../src/core/municipality/municipality-config-schema.js';
import { LOCALES } from '../../../src/core/vocabulary.js';
import { minimalMunicipalityConfig } from './minimal-municipality-config.js';

const examplePath = path.resolve(import.meta.dirname, '../../../config/municipality.example.yaml');

function issuesOf(input: unknown): string[] {
  const result = municipalityConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function withWindow(patch: Record<string, unknown>): MunicipalityConfigInput {
  const config = minimalMunicipalityConfig();
  config.windows[0] = { ...config.windows[0], ...patch } as MunicipalityConfigInput['windows'][number];
  return config;
}

describe('the example config', () => {
  const config = loadMunicipalityConfig(examplePath);
  const raw = parse(readFileSync(examplePath, 'utf8'));

  it('is accepted, with the Nisshin-style set of windows', () => {
    expect(config.windows.map((w) => w.id)).toEqual([
      'houkatsu-north',
      'houkatsu-central',
      'houkatsu-south',
      'shogai-soudan',
      'kodomo-katei',
      'kosodate-sogo',
      'kurashi-support',
      'takikan-kyodo',
      'machi-no-mamoribito',
    ]);
    expect(config.windows.filter((w) => w.kind === 'coordination').map((w) => w.id)).toEqual([
      'takikan-kyodo',
    ]);
    expect(config.windows.filter((w) => w.kind === 'outreach').map((w) => w.id)).toEqual([
      'machi-no-mamoribito',
    ]);
  });

  it('names the city, every area and every window in all seven locales (no fallback needed)', () => {
    const named = [raw.municipality, ...raw.areas, ...raw.windows, ...raw.emergencyNumbers];
    for (const item of named) expect(Object.keys(item.names).sort()).toEqual([...LOCALES].sort());
  });

  it('uses only placeholder phone numbers (area code then 00, never assigned) for its windows', () => {
    for (const w of config.windows) expect(w.phone).toMatch(/^0561-00-\d{4}$/);
  });

  it('lists the same national emergency numbers the schema falls back to', () => {
    const { emergencyNumbers: _omitted, ...rest } = raw;
    const defaults = municipalityConfigSchema.parse(rest).emergencyNumbers;
    expect(config.emergencyNumbers).toEqual(defaults);
    expect(defaults.map((e) => [e.phone, e.twentyFourHours])).toEqual([
      ['110', true],
      ['119', true],
      ['189', true],
      ['#8008', false],
      ['0120-279-889', true],
      ['0570-064-556', false],
      ['0120-279-338', true],
    ]);
  });
});

describe('defaults', () => {
  const config = municipalityConfigSchema.parse(minimalMunicipalityConfig());

  it('fills service rules the municipality did not set', () => {
    expect(config.timezone).toBe('Asia/Tokyo');
    expect(config.reopenDays).toBe(14);
    expect(config.retention).toEqual({
      conversationDaysAfterClose: 90,
      inboxDays: 7,
      auditYears: 5,
      anonymousReporterLinkRemovedAtClose: true,
    });
    expect(config.staff).toEqual({ showStaffNameToResident: false });
    expect(config.escalation).toEqual({
      pendingMinutes: 30,
      urgentPendingMinutes: 5,
      supervisorMinutes: 120,
    });
    expect(config.fieldCombinations).toEqual([]);
    expect(config.windows[0]?.closedOnPublicHolidays).toBe(true);
    expect(config.windows[0]?.hours.sat).toEqual([]);
  });

  it('falls back to Japanese for every missing locale', () => {
    expect(config.windows[0]?.names).toMatchObject({
      ja: '市役所',
      en: 'City Hall',
      vi: '市役所',
      'ja-easy': '市役所',
    });
    expect(Object.keys(config.municipality.names).sort()).toEqual([...LOCALES].sort());
  });

  it('maps observations to fields, with local overrides merged over the defaults', () => {
    expect(config.observationFields.child_crying).toEqual(['children']);
    expect(config.observationFields.other).toEqual([]);
    const custom = municipalityConfigSchema.parse({
      ...minimalMunicipalityConfig(),
      observationFields: { smell: ['elderly'] },
    });
    expect(custom.observationFields.smell).toEqual(['elderly']);
    expect(custom.observationFields.shouting).toEqual(['violence']);
  });
});

describe('refusals', () => {
  it('refuses a window listing "unknown", which only the coordinator takes', () => {
    expect(issuesOf(withWindow({ fields: ['elderly', 'unknown'] }))).toEqual([
      expect.stringMatching(/^windows\.0\.fields\.1: "unknown" is always routed to the coordination window/),
    ]);
  });

  it('refuses a misspelt key instead of ignoring it', () => {
    expect(issuesOf(withWindow({ closedOnPublicHoliday: false }))).toEqual([
      'windows.0: Unrecognized key: "closedOnPublicHoliday"',
    ]);
  });

  it('refuses dropping the anonymity promise to neighbours', () => {
    const config = {
      ...minimalMunicipalityConfig(),
      retention: { anonymousReporterLinkRemovedAtClose: false },
    };
    expect(issuesOf(config)).toHaveLength(1);
  });

  it('refuses overlapping ranges on one day', () => {
    const hours = {
      mon: [
        { open: '08:30', close: '12:00' },
        { open: '11:00', close: '17:00' },
      ],
    };
    expect(issuesOf(withWindow({ hours }))).toEqual([
      'windows.0.hours.mon.1.open: must start after the previous range closes',
    ]);
  });

  it.each([
    ['0561-00-1234', true],
    ['090-1234-5678', true],
    ['0120-279-889', true],
    ['110', true],
    ['#8008', true],
    ['0561001234', false],
    ['0561-00-12', false],
    ['+81-561-00-1234', false],
    ['call us', false],
  ])('phone %s accepted: %s', (phone, ok) => {
    expect(issuesOf(withWindow({ phone })).length === 0).toBe(ok);
  });

  it.each([
    [['12-29', '2026-05-01', { from: '12-29', to: '01-03' }, { from: '2026-08-13', to: '2026-08-16' }], true],
    [['13-01'], false],
    [['02-30'], false],
    [['2026-02-29'], false],
    [[{ from: '2026-08-16', to: '2026-08-13' }], false],
    [[{ from: '12-29', to: '2027-01-03' }], false],
  ])('closedDates %j accepted: %s', (closedDates, ok) => {
    expect(issuesOf(withWindow({ closedDates })).length === 0).toBe(ok);
  });

  it('refuses Slack ids that are not ids', () => {
    expect(issuesOf(withWindow({ slackChannel: '#welfare' }))).toHaveLength(1);
    const escalation = { onCallUserGroup: '@oncall' };
    expect(issuesOf({ ...minimalMunicipalityConfig(), escalation })).toHaveLength(1);
  });

  it('refuses an urgent reminder slower than the normal one', () => {
    const escalation = { pendingMinutes: 10, urgentPendingMinutes: 20 };
    expect(issuesOf({ ...minimalMunicipalityConfig(), escalation })).toEqual([
      'escalation.urgentPendingMinutes: must not be longer than pendingMinutes',
    ]);
  });

  it('refuses a field combination routed to a field outside it', () => {
    const fieldCombinations = [{ fields: ['children', 'violence'], routeAs: 'elderly' }];
    expect(issuesOf({ ...minimalMunicipalityConfig(), fieldCombinations })).toEqual([
      'fieldCombinations.0.routeAs: must be one of the combination fields',
    ]);
  });

  it('refuses an unknown time zone', () => {
    expect(issuesOf({ ...minimalMunicipalityConfig(), timezone: 'Asia/Nisshin' })).toHaveLength(1);
  });
});
