import { beforeEach, describe, expect, it } from 'vitest';
import type { StaffNotice } from '../../../src/core/ports/staff-notice.js';
import type { Store } from '../../../src/core/ports/store.js';
import { at, DAY, event, item, retention, SECOND } from './contract-fixtures.js';

/** Inbox and outbox cases of the store contract. */
export function describeQueueContract(getStore: () => Store) {
  let store: Store;
  beforeEach(() => {
    store = getStore();
  });

  describe('inbox', () => {
    it('stores a pending event and returns it unchanged, Dates included', async () => {
      const e = event('e1', at(-5 * SECOND), 2);
      expect(await store.inbox.add(e, 'k1', at(-4 * SECOND), retention)).toBe('added');
      const record = await store.inbox.get('e1');
      expect(record).toEqual({
        id: 'e1',
        event: e,
        key: 'k1',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(-4 * SECOND),
        receivedAt: at(-4 * SECOND),
        expiresAt: retention,
      });
      expect(record?.event.occurredAt).toBeInstanceOf(Date);
      expect(Object.keys(record ?? {})).not.toContain('_id');
      expect(await store.inbox.get('nope')).toBeNull();
    });

    it('refuses a duplicate id, also after the event was done', async () => {
      const e = event('e1', at(-5 * SECOND));
      await store.inbox.add(e, 'k1', at(-4 * SECOND), retention);
      expect(await store.inbox.add(e, 'k1', at(-3 * SECOND), retention)).toBe('duplicate');
      expect(await store.inbox.markDone('e1', at(0))).toBe(true);
      expect(await store.inbox.add(e, 'k1', at(-2 * SECOND), retention)).toBe('duplicate');
      expect((await store.inbox.get('e1'))?.status).toBe('done');
    });

    it('lists distinct due keys, the one with the oldest pending event first', async () => {
      await store.inbox.add(event('a2', at(-3 * SECOND)), 'ka', at(-3 * SECOND), retention);
      await store.inbox.add(event('b1', at(-5 * SECOND)), 'kb', at(-5 * SECOND), retention);
      await store.inbox.add(event('a1', at(-6 * SECOND)), 'ka', at(-2 * SECOND), retention);
      await store.inbox.add(event('c1', at(-9 * SECOND)), 'kc', at(-9 * SECOND), retention);
      await store.inbox.add(event('d1', at(-8 * SECOND)), 'kd', at(-8 * SECOND), retention);
      await store.inbox.markFailed('c1', 'boom', at(60 * SECOND));
      await store.inbox.markDone('d1', at(0));
      await store.inbox.add(event('f1', at(-1 * SECOND)), 'kf', at(10 * SECOND), retention);

      expect(await store.inbox.dueKeys(at(0), 10)).toEqual(['ka', 'kb']);
      expect(await store.inbox.dueKeys(at(0), 1)).toEqual(['ka']);
      expect(await store.inbox.dueKeys(at(60 * SECOND), 10)).toEqual(['kc', 'ka', 'kb', 'kf']);
    });

    it('orders pending events of a key by occurredAt, sequence, then receivedAt', async () => {
      const t = at(-10 * SECOND);
      await store.inbox.add(event('late', at(-5 * SECOND)), 'k', at(-5 * SECOND), retention);
      await store.inbox.add(event('seq1', t, 1), 'k', at(-4 * SECOND), retention);
      await store.inbox.add(event('seq0-b', t, 0), 'k', at(-2 * SECOND), retention);
      await store.inbox.add(event('seq0-a', t, 0), 'k', at(-3 * SECOND), retention);
      await store.inbox.add(event('other', at(-60 * SECOND)), 'k2', at(-60 * SECOND), retention);

      const order: string[] = [];
      for (let r = await store.inbox.oldestPending('k'); r; r = await store.inbox.oldestPending('k')) {
        order.push(r.id);
        expect(await store.inbox.markDone(r.id, at(0))).toBe(true);
      }
      expect(order).toEqual(['seq0-a', 'seq0-b', 'seq1', 'late']);
    });

    it('returns the oldest pending event even when it is not due yet', async () => {
      await store.inbox.add(event('first', at(-5 * SECOND)), 'k', at(-5 * SECOND), retention);
      await store.inbox.add(event('second', at(-4 * SECOND)), 'k', at(-4 * SECOND), retention);
      await store.inbox.markFailed('first', 'later', at(60 * SECOND));
      expect((await store.inbox.oldestPending('k'))?.id).toBe('first');
    });

    it('marks done only from pending', async () => {
      await store.inbox.add(event('e1', at(-5 * SECOND)), 'k', at(-5 * SECOND), retention);
      expect(await store.inbox.markDone('e1', at(0))).toBe(true);
      expect(await store.inbox.markDone('e1', at(SECOND))).toBe(false);
      expect(await store.inbox.markDone('missing', at(0))).toBe(false);
      const record = await store.inbox.get('e1');
      expect(record).toMatchObject({ status: 'done', processedAt: at(0), attempts: 0 });
      expect(await store.inbox.oldestPending('k')).toBeNull();
    });

    it('records failures: retried later, or parked so they stop blocking the key', async () => {
      await store.inbox.add(event('e1', at(-5 * SECOND)), 'k', at(-5 * SECOND), retention);
      await store.inbox.add(event('e2', at(-4 * SECOND)), 'k', at(-4 * SECOND), retention);

      expect(await store.inbox.markFailed('e1', 'timeout', at(30 * SECOND))).toBe(true);
      expect(await store.inbox.get('e1')).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'timeout',
        nextAttemptAt: at(30 * SECOND),
      });
      expect((await store.inbox.oldestPending('k'))?.id).toBe('e1');

      expect(await store.inbox.markFailed('e1', 'bad data', null)).toBe(true);
      expect(await store.inbox.get('e1')).toMatchObject({
        status: 'parked',
        attempts: 2,
        lastError: 'bad data',
      });
      expect((await store.inbox.oldestPending('k'))?.id).toBe('e2');

      expect(await store.inbox.markFailed('e1', 'again', null)).toBe(false);
      expect(await store.inbox.markDone('e1', at(0))).toBe(false);
      expect((await store.inbox.get('e1'))?.attempts).toBe(2);
    });

    it('counts by status', async () => {
      expect(await store.inbox.countByStatus()).toEqual({ pending: 0, done: 0, parked: 0 });
      for (const id of ['a', 'b', 'c', 'd'])
        await store.inbox.add(event(id, at(-SECOND)), id, at(0), retention);
      await store.inbox.markDone('a', at(0));
      await store.inbox.markFailed('b', 'x', null);
      expect(await store.inbox.countByStatus()).toEqual({ pending: 2, done: 1, parked: 1 });
    });

    it('never returns or counts expired records', async () => {
      await store.inbox.add(event('old', at(-10 * DAY)), 'k', at(-10 * DAY), at(-SECOND));
      await store.inbox.add(event('new', at(-SECOND)), 'k2', at(-SECOND), retention);
      expect(await store.inbox.get('old')).toBeNull();
      expect(await store.inbox.dueKeys(at(0), 10)).toEqual(['k2']);
      expect(await store.inbox.oldestPending('k')).toBeNull();
      expect(await store.inbox.countByStatus()).toEqual({ pending: 1, done: 0, parked: 0 });
    });
  });

  describe('outbox', () => {
    it('enqueues items that round-trip exactly', async () => {
      const it1 = item('U1', 'こんにちは', {
        replyToken: 'rt',
        replyTokenExpiresAt: at(30 * SECOND),
        causedBy: 'e1',
      });
      await store.outbox.enqueue([it1]);
      const record = await store.outbox.get(it1.id);
      expect(record).toEqual({
        ...it1,
        sequence: expect.any(Number),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: it1.createdAt,
      });
      expect(record?.replyTokenExpiresAt).toBeInstanceOf(Date);
      expect(Object.keys(record ?? {})).not.toContain('_id');
      expect(await store.outbox.get('missing')).toBeNull();
    });

    it('round-trips staff notices exactly, nested resident content included', async () => {
      const given: StaffNotice[] = [
        { kind: 'alert', caseId: 'c1' },
        { kind: 'thread', caseId: 'c1', note: { type: 'intake' } },
        {
          kind: 'thread',
          caseId: 'c1',
          note: {
            type: 'resident-message',
            content: {
              type: 'location',
              latitude: 35.6812,
              longitude: 139.7671,
              title: '自宅',
              address: '東京都',
            },
            eventId: 'e1',
          },
        },
        {
          kind: 'thread',
          caseId: 'c1',
          note: {
            type: 'resident-message',
            content: { type: 'media', media: 'image', contentId: 'm1', fileName: 'a.b.$c.jpg' },
            eventId: 'e2',
          },
        },
        { kind: 'thread', caseId: 'c1', note: { type: 'escalation', level: 2, waitingMinutes: 45 } },
        {
          kind: 'thread',
          caseId: 'c1',
          note: { type: 'delivery', replyId: 'r1', delivered: false, error: '403' },
        },
        {
          kind: 'thread',
          caseId: 'c1',
          note: { type: 'rerouted', fromWindowId: 'kosodate', toWindowId: 'chiiki', staffId: 'S1' },
        },
      ];
      const notices = given.map((notice, n) =>
        item('case:c1', '', {
          channel: 'local',
          messages: [],
          notice,
          causedBy: `e${n}`,
          createdAt: at(n * SECOND),
        }),
      );
      await store.outbox.enqueue(notices);
      for (const n of notices) {
        const record = await store.outbox.get(n.id);
        expect(record).toEqual({
          ...n,
          sequence: expect.any(Number),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: n.createdAt,
        });
        expect(record?.createdAt).toBeInstanceOf(Date);
      }
      const first = await store.outbox.oldestPending('local', 'case:c1');
      expect(first?.notice).toEqual({ kind: 'alert', caseId: 'c1' });
      // An item without a notice has none.
      const plain = item('U1', 'hi');
      await store.outbox.enqueue([plain]);
      expect(await store.outbox.get(plain.id)).not.toHaveProperty('notice');
    });

    it('keeps the order of an address across enqueue calls', async () => {
      const batch1 = [item('U1', 'one'), item('U1', 'two')];
      const batch2 = [item('U1', 'three')];
      await store.outbox.enqueue(batch1);
      await store.outbox.enqueue(batch2);
      const all = [...batch1, ...batch2];
      const sequences = await Promise.all(
        all.map(async (i) => (await store.outbox.get(i.id))?.sequence ?? 0),
      );
      for (let n = 1; n < sequences.length; n++) expect(sequences[n]).toBeGreaterThan(sequences[n - 1] ?? 0);

      const sent: string[] = [];
      for (
        let r = await store.outbox.oldestPending('line', 'U1');
        r;
        r = await store.outbox.oldestPending('line', 'U1')
      ) {
        sent.push(r.messages[0]?.text ?? '');
        expect(await store.outbox.markSent(r.id, at(0))).toBe(true);
      }
      expect(sent).toEqual(['one', 'two', 'three']);
    });

    it('skips items whose id is already stored (the id is the idempotency key)', async () => {
      const [first, second] = [item('U1', 'one'), item('U1', 'two')];
      await store.outbox.enqueue([first, second]);
      await store.outbox.markSent(first.id, at(0));
      const before = await store.outbox.get(second.id);

      const third = item('U1', 'three');
      await store.outbox.enqueue([{ ...first, messages: [] }, second, third]);
      expect((await store.outbox.get(first.id))?.status).toBe('sent');
      expect((await store.outbox.get(first.id))?.messages).toEqual(first.messages);
      expect(await store.outbox.get(second.id)).toEqual(before);
      expect((await store.outbox.get(third.id))?.sequence).toBeGreaterThan(before?.sequence ?? Infinity);
      expect(await store.outbox.countByStatus()).toEqual({ pending: 2, sent: 1, dead: 0, cancelled: 0 });
    });

    it('lists distinct due addresses, oldest first', async () => {
      await store.outbox.enqueue([item('A', '1'), item('A', '2')]);
      await store.outbox.enqueue([item('B', '1')]);
      await store.outbox.enqueue([item('A', '3')]);
      const c = item('C', '1');
      await store.outbox.enqueue([c, item('D', '1', { channel: 'local', createdAt: at(20 * SECOND) })]);
      await store.outbox.markRetry(c.id, '429', at(60 * SECOND), false);

      expect(await store.outbox.dueAddresses(at(0), 10)).toEqual([
        { channel: 'line', address: 'A' },
        { channel: 'line', address: 'B' },
      ]);
      expect(await store.outbox.dueAddresses(at(0), 1)).toEqual([{ channel: 'line', address: 'A' }]);
      expect(await store.outbox.dueAddresses(at(60 * SECOND), 10)).toEqual([
        { channel: 'line', address: 'A' },
        { channel: 'line', address: 'B' },
        { channel: 'line', address: 'C' },
        { channel: 'local', address: 'D' },
      ]);
    });

    it('marks sent, retry and dead only from pending', async () => {
      const [a, b, c] = [item('U1', 'a', { replyToken: 'rt' }), item('U1', 'b'), item('U1', 'c')];
      await store.outbox.enqueue([a, b, c]);

      expect(await store.outbox.markRetry(a.id, 'Invalid reply token', at(5 * SECOND), true)).toBe(true);
      expect(await store.outbox.get(a.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'Invalid reply token',
        nextAttemptAt: at(5 * SECOND),
        replyTokenSpent: true,
      });
      expect(await store.outbox.markSent(a.id, at(6 * SECOND))).toBe(true);
      expect(await store.outbox.get(a.id)).toMatchObject({
        status: 'sent',
        sentAt: at(6 * SECOND),
        attempts: 1,
      });
      expect(await store.outbox.markSent(a.id, at(7 * SECOND))).toBe(false);
      expect(await store.outbox.markRetry(a.id, 'x', at(8 * SECOND), false)).toBe(false);
      expect(await store.outbox.markDead(a.id, 'x')).toBe(false);

      expect(await store.outbox.markDead(b.id, '400 bad request')).toBe(true);
      expect(await store.outbox.get(b.id)).toMatchObject({ status: 'dead', lastError: '400 bad request' });
      expect(await store.outbox.markDead(b.id, 'again')).toBe(false);
      expect(await store.outbox.markSent(b.id, at(0))).toBe(false);
      expect((await store.outbox.oldestPending('line', 'U1'))?.id).toBe(c.id);
    });

    it('journals a reply attempt durably, keeping the first time, and never unspends a token', async () => {
      const a = item('U1', 'a', { replyToken: 'rt' });
      await store.outbox.enqueue([a]);
      expect((await store.outbox.get(a.id))?.replyAttemptedAt).toBeUndefined();

      expect(await store.outbox.markReplyAttempted(a.id, at(1 * SECOND))).toBe(true);
      expect(await store.outbox.markReplyAttempted(a.id, at(2 * SECOND))).toBe(true);
      expect((await store.outbox.get(a.id))?.replyAttemptedAt).toEqual(at(1 * SECOND));

      // A retry after a timeout leaves the token as it was: unspent here.
      await store.outbox.markRetry(a.id, 'timed out', at(3 * SECOND), false);
      expect((await store.outbox.get(a.id))?.replyTokenSpent).toBeFalsy();

      expect(await store.outbox.markReplyTokenSpent(a.id)).toBe(true);
      await store.outbox.markRetry(a.id, 'push 500', at(4 * SECOND), false);
      expect(await store.outbox.get(a.id)).toMatchObject({ replyTokenSpent: true, attempts: 2 });

      await store.outbox.markSent(a.id, at(5 * SECOND));
      expect(await store.outbox.markReplyAttempted(a.id, at(6 * SECOND))).toBe(false);
      expect(await store.outbox.markReplyTokenSpent(a.id)).toBe(false);
    });

    it("cancels only that address's pending items", async () => {
      const [a1, a2, a3] = [item('A', '1'), item('A', '2'), item('A', '3')];
      const b1 = item('B', '1');
      const otherChannel = item('A', 'x', { channel: 'local' });
      await store.outbox.enqueue([a1, a2, a3, b1, otherChannel]);
      await store.outbox.markSent(a1.id, at(0));

      expect(await store.outbox.cancelPending('line', 'A', 'unfollowed')).toBe(2);
      expect(await store.outbox.get(a2.id)).toMatchObject({ status: 'cancelled' });
      expect((await store.outbox.get(a1.id))?.status).toBe('sent');
      expect((await store.outbox.get(b1.id))?.status).toBe('pending');
      expect((await store.outbox.get(otherChannel.id))?.status).toBe('pending');
      expect(await store.outbox.oldestPending('line', 'A')).toBeNull();
      expect(await store.outbox.cancelPending('line', 'A', 'unfollowed')).toBe(0);
      expect(await store.outbox.countByStatus()).toEqual({ pending: 2, sent: 1, dead: 0, cancelled: 2 });
    });
  });

  describe('erasure and expiry', () => {
    it('redacts the inbox events of a key up to a time: gone from every read, the id still a duplicate', async () => {
      const older = event('e1', at(-5 * SECOND));
      const request = event('e2', at(-3 * SECOND));
      const later = event('e3', at(-1 * SECOND));
      const other = event('e4', at(-4 * SECOND));
      for (const e of [older, request, later]) await store.inbox.add(e, 'line:U1', at(0), retention);
      await store.inbox.add(other, 'line:U2', at(0), retention);
      await store.inbox.markDone('e1', at(0));

      expect(await store.inbox.redact('line:U1', request.occurredAt, at(1 * SECOND))).toBe(2);

      expect(await store.inbox.get('e1')).toBeNull();
      expect(await store.inbox.get('e2')).toBeNull();
      expect((await store.inbox.oldestPending('line:U1'))?.id).toBe('e3');
      expect(await store.inbox.dueKeys(at(10 * SECOND), 10)).toEqual(['line:U2', 'line:U1']);
      expect(await store.inbox.add(older, 'line:U1', at(2 * SECOND), retention)).toBe('duplicate');
      // The request being handled can still be marked done.
      expect(await store.inbox.markDone('e2', at(2 * SECOND))).toBe(true);
      expect((await store.inbox.get('e4'))?.event).toEqual(other);
    });

    it('removes expired inbox events and done outbox items, keeping pending ones', async () => {
      // Expiry times in the future of the wall clock (reads hide records expired by it), and a
      // sweep run "later".
      await store.inbox.add(event('old', at(-5 * SECOND)), 'k', at(-4 * SECOND), at(1 * DAY));
      await store.inbox.add(event('new', at(-5 * SECOND)), 'k', at(-4 * SECOND), at(3 * DAY));
      const [sent, pending] = [item('U1', 'sent'), item('U1', 'pending')];
      await store.outbox.enqueue([sent, pending]);
      expect(await store.outbox.markSent(sent.id, at(0), at(1 * DAY))).toBe(true);
      expect((await store.outbox.get(sent.id))?.expiresAt).toEqual(at(1 * DAY));

      expect(await store.inbox.removeExpired(at(0))).toBe(0);
      expect(await store.inbox.removeExpired(at(2 * DAY))).toBe(1);
      expect(await store.outbox.removeExpired(at(0))).toBe(0);
      expect(await store.outbox.removeExpired(at(2 * DAY))).toBe(1);
      expect(await store.outbox.get(sent.id)).toBeNull();
      expect((await store.outbox.get(pending.id))?.status).toBe('pending');
      expect(await store.inbox.get('old')).toBeNull();
      expect(await store.inbox.get('new')).not.toBeNull();
    });

    it("redacts a recipient's items, sent or pending: no words, no address, no reply token", async () => {
      const [sent, pending] = [item('U1', '家賃のこと', { replyToken: 'rt' }), item('U1', 'まだ')];
      const other = item('U2', 'ほかの人');
      await store.outbox.enqueue([sent, pending, other]);
      await store.outbox.markSent(sent.id, at(0));

      expect(
        await store.outbox.redact({ kind: 'recipient', channel: 'line', address: 'U1' }, at(1), at(DAY)),
      ).toBe(2);

      for (const id of [sent.id, pending.id]) {
        const record = await store.outbox.get(id);
        expect(JSON.stringify(record)).not.toMatch(/U1|家賃|まだ|"rt"/);
        expect(record).toMatchObject({ messages: [], redactedAt: at(1), expiresAt: at(DAY) });
      }
      expect((await store.outbox.get(sent.id))?.status).toBe('sent');
      expect((await store.outbox.get(pending.id))?.status).toBe('cancelled');
      expect(await store.outbox.oldestPending('line', 'U1')).toBeNull();
      expect(await store.outbox.dueAddresses(at(0), 10)).toEqual([{ channel: 'line', address: 'U2' }]);
      expect((await store.outbox.get(other.id))?.messages[0]?.text).toBe('ほかの人');
    });

    it("redacts the staff notices relaying a case's resident messages, and nothing else of the case", async () => {
      const relay = (text: string): StaffNotice => ({
        kind: 'thread',
        caseId: 'c1',
        note: { type: 'resident-message', content: { type: 'text', text }, eventId: 'e' },
      });
      const relayed = item('case:c1', '', { channel: 'slack', messages: [], notice: relay('家賃のこと') });
      const waiting = item('case:c1', '', { channel: 'slack', messages: [], notice: relay('まだ') });
      const alert = item('case:c1', '', {
        channel: 'slack',
        messages: [],
        notice: { kind: 'alert', caseId: 'c1' },
      });
      await store.outbox.enqueue([relayed, waiting, alert]);
      await store.outbox.markSent(relayed.id, at(0));

      expect(await store.outbox.redact({ kind: 'case-relays', caseId: 'c1' }, at(1), at(DAY))).toBe(2);

      expect(JSON.stringify(await store.outbox.get(relayed.id))).not.toMatch(/家賃/);
      expect(await store.outbox.get(waiting.id)).toMatchObject({ status: 'cancelled', messages: [] });
      expect((await store.outbox.get(waiting.id))?.notice).toBeUndefined();
      expect(await store.outbox.get(alert.id)).toMatchObject({
        status: 'pending',
        notice: { kind: 'alert' },
      });
    });
  });
}
