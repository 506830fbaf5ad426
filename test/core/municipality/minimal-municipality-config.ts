import type { MunicipalityConfigInput } from '../../../src/core/municipality/municipality-config-schema.js';

const weekdays = {
  mon: [{ open: '08:30', close: '17:15' }],
  tue: [{ open: '08:30', close: '17:15' }],
  wed: [{ open: '08:30', close: '17:15' }],
  thu: [{ open: '08:30', close: '17:15' }],
  fri: [{ open: '08:30', close: '17:15' }],
};

/** The smallest config the schema accepts: every field covered, one coordinator, one outreach window. */
export function minimalMunicipalityConfig(): MunicipalityConfigInput {
  return {
    version: 1,
    municipality: { id: 'test-city', names: { ja: 'テスト市' } },
    frontDoor: {
      hours: { ja: '平日 8:30〜17:15' },
      privacyPolicyUrl: 'https://city.example.jp/privacy',
      termsUrl: 'https://city.example.jp/terms',
    },
    areas: [
      { id: 'north', names: { ja: '北部' }, match: ['若葉町'] },
      { id: 'south', names: { ja: '南部' }, match: ['南台'] },
    ],
    windows: [
      {
        id: 'city',
        kind: 'single-field',
        names: { ja: '市役所', en: 'City Hall' },
        fields: ['elderly', 'disability', 'children', 'livelihood'],
        phone: '0561-00-0001',
        hours: weekdays,
      },
      {
        id: 'coordination',
        kind: 'coordination',
        names: { ja: '多機関協働' },
        fields: ['violence'],
        phone: '0561-00-0002',
        hours: weekdays,
      },
      {
        id: 'outreach',
        kind: 'outreach',
        names: { ja: 'まちの守り人' },
        fields: ['isolation'],
        phone: '0561-00-0003',
        hours: weekdays,
      },
    ],
  };
}
