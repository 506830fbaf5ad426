import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMunicipalityConfig } from '../../../src/core/municipality/load-municipality-config.js';
import { municipalityConfigSchema } from '../../../src/core/municipality/municipality-config-schema.js';
import {
  type RouteInput,
  resolveArea,
  routeToWindow,
} from '../../../src/core/municipality/route-to-window.js';
import { minimalMunicipalityConfig } from './minimal-municipality-config.js';

const config = loadMunicipalityConfig(
  path.resolve(import.meta.dirname, '../../../config/municipality.example.yaml'),
);
const self = (input: Partial<RouteInput>): RouteInput => ({
  fields: [],
  patterns: [],
  origin: 'self',
  ...input,
});
const neighbour = (input: Partial<RouteInput>): RouteInput => self({ origin: 'neighbour', ...input });

describe('routeToWindow: one field goes to that field’s window', () => {
  it.each([
    ['disability', 'shogai-soudan'],
    ['children', 'kodomo-katei'],
    ['livelihood', 'kurashi-support'],
    ['isolation', 'machi-no-mamoribito'],
    ['violence', 'takikan-kyodo'],
  ] as const)('%s → %s', (field, windowId) => {
    expect(routeToWindow(config, self({ fields: [field] }))).toEqual({ windowId, reason: 'single-field' });
  });

  it('takes the first listed window when a field has two whole-city windows', () => {
    // こども家庭センター is listed before 子育て総合支援センター on purpose (see the YAML).
    expect(routeToWindow(config, self({ fields: ['children'], origin: 'family' })).windowId).toBe(
      'kodomo-katei',
    );
  });

  it('treats a repeated field as one', () => {
    expect(routeToWindow(config, self({ fields: ['livelihood', 'livelihood'] }))).toEqual({
      windowId: 'kurashi-support',
      reason: 'single-field',
    });
  });
});

describe('routeToWindow: elderly is split by area', () => {
  it.each([
    ['若葉町3丁目', 'houkatsu-north'],
    ['サクラガオカ', 'houkatsu-north'],
    ['桜ケ丘２丁目です', 'houkatsu-north'],
    ['栄町', 'houkatsu-central'],
    ['Near KOMOREBI station', 'houkatsu-central'],
    ['南台', 'houkatsu-south'],
    ['south', 'houkatsu-south'],
  ])('%s → %s', (area, windowId) => {
    expect(routeToWindow(config, self({ fields: ['elderly'], area }))).toEqual({
      windowId,
      reason: 'single-field',
    });
  });

  it('sends an unplaceable elderly concern to the first centre rather than turning it away', () => {
    expect(routeToWindow(config, self({ fields: ['elderly'], area: '駅の近く' })).windowId).toBe(
      'houkatsu-north',
    );
    expect(routeToWindow(config, self({ fields: ['elderly'] })).windowId).toBe('houkatsu-north');
  });

  it('prefers a whole-city window over guessing when the area is unknown', () => {
    const input = minimalMunicipalityConfig();
    const [city] = input.windows;
    if (!city) throw new Error('fixture has windows');
    input.windows.push(
      { ...city, id: 'north-only', fields: ['elderly'], areas: ['north'] },
      { ...city, id: 'south-only', fields: ['elderly'], areas: ['south'] },
    );
    const c = municipalityConfigSchema.parse(input);
    expect(routeToWindow(c, self({ fields: ['elderly'], area: '南台' })).windowId).toBe('south-only');
    expect(routeToWindow(c, self({ fields: ['elderly'] })).windowId).toBe('city');
  });
});

describe('routeToWindow: tangled or unclear goes to the coordinator', () => {
  it.each([
    [self({ fields: ['elderly', 'livelihood'] }), 'multiple-fields'],
    [self({ fields: ['children', 'disability'], origin: 'family' }), 'multiple-fields'],
    [self({ fields: ['elderly', 'unknown'] }), 'multiple-fields'],
    [self({ fields: ['children', 'violence', 'unknown'] }), 'multiple-fields'],
    [self({ fields: ['elderly'], patterns: ['8050'] }), 'household-pattern'],
    [self({ patterns: ['double_care'] }), 'household-pattern'],
    [self({ fields: ['isolation', 'elderly'], patterns: ['hikikomori'] }), 'household-pattern'],
    [self({ fields: ['isolation'], patterns: ['hikikomori', '8050'] }), 'household-pattern'],
    [self({ fields: ['unknown'] }), 'unknown'],
    [self({}), 'unknown'],
    [self({ origin: 'family' }), 'unknown'],
  ])('%j → %s', (input, reason) => {
    expect(routeToWindow(config, input)).toEqual({ windowId: 'takikan-kyodo', reason });
  });
});

describe('routeToWindow: a household pattern the city routes to one window', () => {
  it('sends ひきこもり alone to the outreach team, as the example city configures', () => {
    expect(config.patternRoutes).toEqual({ hikikomori: 'isolation' });
    expect(routeToWindow(config, self({ fields: ['isolation'], patterns: ['hikikomori'] }))).toEqual({
      windowId: 'machi-no-mamoribito',
      reason: 'single-field',
    });
    expect(routeToWindow(config, self({ patterns: ['hikikomori'] })).windowId).toBe('machi-no-mamoribito');
  });
});

describe('routeToWindow: violence with one other field goes where abuse is reported', () => {
  it.each([
    [['children', 'violence'], undefined, 'kodomo-katei'],
    [['violence', 'elderly'], '南台', 'houkatsu-south'],
    [['disability', 'violence'], undefined, 'shogai-soudan'],
  ] as const)('%j (%s) → %s', (fields, area, windowId) => {
    expect(routeToWindow(config, self({ fields: [...fields], area }))).toEqual({
      windowId,
      reason: 'multiple-fields',
    });
  });

  it('still sends a household pattern to the coordinator', () => {
    const route = routeToWindow(config, self({ fields: ['elderly', 'violence'], patterns: ['8050'] }));
    expect(route).toEqual({ windowId: 'takikan-kyodo', reason: 'household-pattern' });
  });
});

describe('routeToWindow: a neighbour’s worry', () => {
  it.each([
    [['child_crying'], undefined, 'kodomo-katei'],
    [['child_alone', 'child_crying'], undefined, 'kodomo-katei'],
    [['not_seen', 'mail_piling'], '若葉町', 'houkatsu-north'],
    [['unwell_confused'], '南小学校の近く', 'houkatsu-south'],
    [['rubbish', 'smell'], undefined, 'machi-no-mamoribito'],
    [['shouting'], undefined, 'takikan-kyodo'],
    [['shouting', 'child_crying'], undefined, 'kodomo-katei'],
    [['not_seen', 'child_alone'], undefined, 'takikan-kyodo'],
    [['rubbish', 'other'], undefined, 'machi-no-mamoribito'],
  ] as const)('%j (%s) → %s', (observations, area, windowId) => {
    expect(routeToWindow(config, neighbour({ observations: [...observations], area }))).toEqual({
      windowId,
      reason: 'neighbour-observation',
    });
  });

  it.each([
    [neighbour({ observations: ['other'] })],
    [neighbour({ observations: ['other'], fields: ['unknown'] })],
    [neighbour({})],
  ])('with nothing that maps to a field goes to outreach: %j', (input) => {
    expect(routeToWindow(config, input)).toEqual({
      windowId: 'machi-no-mamoribito',
      reason: 'neighbour-unclear',
    });
  });

  it('follows the ordinary rules when the neighbour names a field or a pattern instead', () => {
    expect(routeToWindow(config, neighbour({ fields: ['livelihood'], observations: ['other'] }))).toEqual({
      windowId: 'kurashi-support',
      reason: 'single-field',
    });
    expect(routeToWindow(config, neighbour({ patterns: ['hoarding'], observations: ['other'] }))).toEqual({
      windowId: 'takikan-kyodo',
      reason: 'household-pattern',
    });
  });

  it('uses the municipality’s own observation table', () => {
    const c = municipalityConfigSchema.parse({
      ...minimalMunicipalityConfig(),
      observationFields: { other: ['livelihood'] },
    });
    expect(routeToWindow(c, neighbour({ observations: ['other'] }))).toEqual({
      windowId: 'city',
      reason: 'neighbour-observation',
    });
  });
});

describe('resolveArea', () => {
  it.each([
    ['north', 'north'],
    ['北部', 'north'],
    ['ｗａｋａｂａ ３－２', 'north'],
    ['わかば町', 'north'],
    ['ワカバ町', 'north'],
    ['こもれび北駅のそば', 'north'],
    ['こもれび駅のそば', 'central'],
    ['緑ヶ丘', 'south'],
    ['みどりがおか', undefined],
    ['', undefined],
    ['きた', undefined],
  ])('%s → %s', (text, areaId) => {
    expect(resolveArea(config, text)).toBe(areaId);
  });

  it('ignores a phrase that is only part of a longer one', () => {
    const c = municipalityConfigSchema.parse({
      ...minimalMunicipalityConfig(),
      areas: [
        { id: 'north', names: { ja: '北部' }, match: ['北本町'] },
        { id: 'central', names: { ja: '中部' }, match: ['本町'] },
      ],
    });
    expect(resolveArea(c, '北本町1丁目')).toBe('north');
    expect(resolveArea(c, '本町1丁目')).toBe('central');
  });

  it('refuses to guess between two areas', () => {
    expect(resolveArea(config, '若葉町と南台の間')).toBeUndefined();
    expect(resolveArea(config, '若葉町3丁目（南台寄り）')).toBeUndefined();
  });
});
