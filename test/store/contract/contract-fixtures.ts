import { randomUUID } from 'node:crypto';
import type { IncomingEvent } from '../../../src/core/ports/incoming-event.js';
import type { NewCase, NewOutboxItem } from '../../../src/core/ports/store.js';

export const SECOND = 1000;
export const DAY = 24 * 60 * 60 * SECOND;

/**
 * Times are relative to the real clock: backends drop records whose expiresAt has passed by the
 * real clock (MongoDB's TTL index, the embedded store's reads), so "not expired" must really be in the future.
 */
export const base = new Date(Math.floor(Date.now() / SECOND) * SECOND);
export const at = (ms: number) => new Date(base.getTime() + ms);
export const retention = at(30 * DAY);

export function event(id: string, occurredAt: Date, sequence = 0): IncomingEvent {
  return {
    id,
    channel: 'line',
    address: `U-${id}`,
    occurredAt,
    sequence,
    replyToken: `rt-${id}`,
    content: { type: 'location', latitude: 35.6812, longitude: 139.7671, title: '自宅', address: '東京都' },
  };
}

export function item(address: string, text: string, extra: Partial<NewOutboxItem> = {}): NewOutboxItem {
  return {
    id: randomUUID(),
    channel: 'line',
    address,
    messages: [
      {
        type: 'text',
        text,
        quickReplies: [
          { kind: 'choice', label: 'はい', data: 'yes', displayText: 'はい' },
          { kind: 'call', label: '電話', phone: '#8008' },
        ],
      },
    ],
    createdAt: base,
    ...extra,
  };
}

export function newCase(extra: Partial<NewCase> = {}): NewCase {
  return {
    id: randomUUID(),
    residentKey: 'line:U1',
    channel: 'line',
    origin: 'self',
    anonymous: false,
    windowId: 'kosodate',
    fields: ['children', 'livelihood'],
    patterns: ['double_care'],
    urgent: false,
    language: 'ja',
    answers: { 'intake.neighbour.observed': ['crying', 'alone'], age: 7, nested: { $odd: 'x', when: base } },
    ownWords: '母の介護と子育てで、もう限界です。',
    createdAt: new Date('2026-05-01T00:00:00+09:00'),
    ...extra,
  };
}
