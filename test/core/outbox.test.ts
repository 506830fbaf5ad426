import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nameBasedUuid, Outbox } from '../../src/core/outbox.js';
import type { OutgoingMessage } from '../../src/core/ports/outgoing-message.js';
import type { Store } from '../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { incomingEvent } from '../support/events.js';
import { FakeClock } from '../support/fake-clock.js';

const texts = (n: number): OutgoingMessage[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'text', text: `m${i}` }));

describe('Outbox', () => {
  let store: Store;
  let clock: FakeClock;
  let outbox: Outbox;

  beforeEach(async () => {
    store = await openEmbeddedStore({ inMemory: true });
    clock = new FakeClock();
    outbox = new Outbox(store.outbox, clock.now, 20_000);
  });
  afterEach(() => store.close());

  it('splits a long answer into items of five, spending the reply token on the first only', async () => {
    const event = incomingEvent('U1', { type: 'text', text: 'hi' }, clock.now());
    await outbox.reply(event, texts(7));
    const first = await store.outbox.oldestPending('line', 'U1');
    expect(first?.messages).toHaveLength(5);
    expect(first?.replyToken).toBe(event.replyToken);
    expect(first?.replyTokenExpiresAt).toEqual(new Date(event.occurredAt.getTime() + 20_000));
    await store.outbox.markSent(first?.id ?? '', clock.now());
    const second = await store.outbox.oldestPending('line', 'U1');
    expect(second?.messages.map((m) => m.text)).toEqual(['m5', 'm6']);
    expect(second?.replyToken).toBeUndefined();
  });

  it('answers the same event only once when it is handled again after a crash', async () => {
    const event = incomingEvent('U1', { type: 'text', text: 'hi' }, clock.now());
    await outbox.reply(event, texts(2));
    await outbox.reply(event, texts(2));
    expect((await store.outbox.countByStatus()).pending).toBe(1);
  });

  it('makes RFC 4122 shaped, stable ids (LINE requires a UUID retry key)', () => {
    const id = nameBasedUuid('reply:evt-1#0');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nameBasedUuid('reply:evt-1#0')).toBe(id);
    expect(nameBasedUuid('reply:evt-1#1')).not.toBe(id);
  });
});
