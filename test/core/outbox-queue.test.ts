import path from 'node:path';
import { DatabaseSync, type DatabaseSyncInstance } from '@photostructure/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyedQueueRunner } from '../../src/core/keyed-queue-runner.js';
import { Outbox } from '../../src/core/outbox.js';
import { OutboxQueue, type OutboxQueueOptions } from '../../src/core/outbox-queue.js';
import type { ChannelSender, SendResult } from '../../src/core/ports/channel-sender.js';
import type { OutboxRecord, Store } from '../../src/core/ports/store.js';
import { DATABASE_FILE, openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { FakeClock } from '../support/fake-clock.js';
import { silentLogger } from '../support/silent-logger.js';
import { tempDataDir } from '../support/test-service.js';

/** A sender that answers from a script and records what it was asked to send. */
class ScriptedSender implements ChannelSender {
  readonly channel = 'line' as const;
  readonly sent: string[] = [];
  constructor(private readonly script: Array<SendResult | 'hang'>) {}
  async send(item: OutboxRecord): Promise<SendResult> {
    const next = this.script.shift() ?? { kind: 'sent' };
    this.sent.push(item.messages.map((m) => m.text).join('+'));
    if (next === 'hang') return new Promise(() => {});
    return next;
  }
}

/** Resolves once `predicate` holds; fails after a generous bound (it proves "not held", not speed). */
async function waitUntil(predicate: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The outbox queue over `store` with one LINE sender, run by a queue runner, on `clock`. */
function outboxRunner(
  store: Store,
  sender: ChannelSender,
  clock: FakeClock,
  extra: Partial<OutboxQueueOptions> = {},
): KeyedQueueRunner {
  return new KeyedQueueRunner({
    queue: new OutboxQueue({
      outbox: store.outbox,
      contacts: store.contacts,
      senders: new Map([['line', sender]]),
      logger: silentLogger,
      hashId: (id) => id,
      now: clock.now,
      backoff: { baseMs: 1_000, maxMs: 8_000 },
      ...extra,
    }),
    leases: store.leases,
    owner: 'me',
    logger: silentLogger,
    now: clock.now,
  });
}

describe('OutboxQueue', () => {
  let store: Store;
  let clock: FakeClock;

  beforeEach(async () => {
    store = await openEmbeddedStore({ inMemory: true });
    clock = new FakeClock();
  });
  afterEach(() => store.close());

  const runner = (sender: ChannelSender, extra: { maxAttempts?: number; sendTimeoutMs?: number } = {}) =>
    outboxRunner(store, sender, clock, extra);

  const push = (address: string, text: string) =>
    new Outbox(store.outbox, clock.now).push('line', address, [{ type: 'text', text }]);

  it('keeps a recipient’s messages in order: a retrying message holds back the ones after it', async () => {
    const sender = new ScriptedSender([
      { kind: 'retry', error: 'line.pushMessage 500', replyTokenSpent: false },
    ]);
    await push('U1', 'first');
    await push('U1', 'second');
    const r = runner(sender);
    await r.drain();
    expect(sender.sent).toEqual(['first']);
    clock.advance(5_000);
    await r.drain();
    expect(sender.sent).toEqual(['first', 'first', 'second']);
    expect(await store.outbox.countByStatus()).toMatchObject({ sent: 2, pending: 0 });
  });

  it('waits at least as long as Retry-After before the next attempt', async () => {
    const sender = new ScriptedSender([
      { kind: 'retry', error: 'line.pushMessage 429', retryAfterMs: 30_000, replyTokenSpent: false },
    ]);
    await push('U1', 'x');
    const r = runner(sender);
    await r.drain();
    clock.advance(29_000);
    await r.drain();
    expect(sender.sent).toHaveLength(1);
    clock.advance(1_000);
    await r.drain();
    expect(sender.sent).toHaveLength(2);
  });

  it('turns a permanent failure into a dead letter and goes on with the next message', async () => {
    const sender = new ScriptedSender([{ kind: 'failed', error: 'line.pushMessage 400: bad' }]);
    await push('U1', 'bad');
    await push('U1', 'good');
    await runner(sender).drain();
    const counts = await store.outbox.countByStatus();
    expect(counts).toMatchObject({ dead: 1, sent: 1 });
    expect(sender.sent).toEqual(['bad', 'good']);
  });

  it('gives up after the last attempt and keeps the error', async () => {
    const retry: SendResult = { kind: 'retry', error: 'line.pushMessage 503', replyTokenSpent: false };
    const sender = new ScriptedSender([retry, retry, retry]);
    await push('U1', 'x');
    const r = runner(sender, { maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await r.drain();
      clock.advance(60_000);
    }
    const counts = await store.outbox.countByStatus();
    expect(counts).toMatchObject({ dead: 1, pending: 0 });
  });

  it('treats a send that hangs as a failure to retry, so the lease never outlives it', async () => {
    const sender = new ScriptedSender(['hang']);
    await push('U1', 'x');
    const r = runner(sender, { sendTimeoutMs: 20 });
    await r.drain();
    const counts = await store.outbox.countByStatus();
    expect(counts).toMatchObject({ pending: 1, sent: 0 });
    clock.advance(60_000);
    await r.drain();
    expect(await store.outbox.countByStatus()).toMatchObject({ pending: 0, sent: 1 });
  });

  it('starts new work for other recipients while one recipient’s send hangs', async () => {
    const sent: string[] = [];
    const sender: ChannelSender = {
      channel: 'line',
      send: async (item) => {
        if (item.address === 'U1') return new Promise(() => {});
        sent.push(item.address);
        return { kind: 'sent' };
      },
    };
    const r = runner(sender, { sendTimeoutMs: 60_000 });
    const outbox = new Outbox(store.outbox, clock.now, undefined, (key) => r.kick([key]));
    r.start();
    try {
      await outbox.push('line', 'U1', [{ type: 'text', text: 'stuck' }]);
      await waitUntil(() => r.inFlight().includes('line:U1'));
      await outbox.push('line', 'U2', [{ type: 'text', text: 'free' }]);
      await outbox.push('line', 'U3', [{ type: 'text', text: 'free' }]);
      await waitUntil(() => sent.length === 2);
      expect(sent.sort()).toEqual(['U2', 'U3']);
      expect(r.inFlight()).toEqual(['line:U1']);
    } finally {
      void r.stop();
    }
  });

  it('sends nothing to a recipient who blocked the account', async () => {
    const sender = new ScriptedSender([]);
    await push('U1', 'x');
    await store.contacts.setFollowing('line', 'U1', false, clock.now());
    await runner(sender).drain();
    expect(sender.sent).toEqual([]);
    expect(await store.outbox.countByStatus()).toMatchObject({ cancelled: 1, pending: 0 });
  });
});

/**
 * On the processing thread the store commits a turn's writes together (turn-commit.ts): what a
 * send depends on must be committed before the send leaves, or a crash could forget a message
 * that was delivered and deliver it again.
 */
describe('OutboxQueue on a store that commits by turns', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: Store;
  let other: DatabaseSyncInstance;

  beforeEach(async () => {
    data = tempDataDir();
    store = await openEmbeddedStore({
      dataDir: data.dir,
      incoming: 'read',
      groupCommit: { onFailure: () => {} },
    });
    other = new DatabaseSync(path.join(data.dir, DATABASE_FILE));
  });
  afterEach(async () => {
    other.close();
    await store.close();
    data.remove();
  });

  /** What another connection (a restarted process) would find of the item. */
  const committed = (id: string) =>
    other
      .prepare("SELECT status, json_extract(doc, '$.replyAttemptedAt') AS attempted FROM outbox WHERE id = ?")
      .get(id) as { status: string; attempted: unknown } | undefined;

  it('commits the item before it is sent, and the reply attempt before the reply leaves', async () => {
    const clock = new FakeClock();
    const seen: Array<{ when: string; row: unknown }> = [];
    const sender: ChannelSender = {
      channel: 'line',
      async send(item, _now, journal) {
        seen.push({ when: 'send', row: committed(item.id) });
        await journal?.replyAttempted();
        seen.push({ when: 'reply attempted', row: committed(item.id) });
        return { kind: 'sent' };
      },
    };
    await new Outbox(store.outbox, clock.now).push('line', 'U1', [{ type: 'text', text: 'x' }]);
    const id = (await store.outbox.oldestPending('line', 'U1'))?.id ?? '';
    await outboxRunner(store, sender, clock, { flush: () => store.flush() }).drain();
    expect(seen).toEqual([
      { when: 'send', row: { status: 'pending', attempted: null } },
      { when: 'reply attempted', row: { status: 'pending', attempted: expect.anything() } },
    ]);
    await store.flush();
    expect(committed(id)).toMatchObject({ status: 'sent' });
  });
});
