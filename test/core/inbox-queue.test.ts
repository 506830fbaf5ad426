import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../src/core/coded-error.js';
import { SessionConflictError } from '../../src/core/conversation/conversation-engine.js';
import { DeadlineExceededError } from '../../src/core/deadline.js';
import { InboxQueue } from '../../src/core/inbox-queue.js';
import { createIngest } from '../../src/core/ingest-events.js';
import { KeyedQueueRunner } from '../../src/core/keyed-queue-runner.js';
import type { IncomingEvent } from '../../src/core/ports/incoming-event.js';
import type { Store } from '../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { incomingEvent } from '../support/events.js';
import { FakeClock } from '../support/fake-clock.js';
import { silentLogger } from '../support/silent-logger.js';

const text = (t: string) => ({ type: 'text' as const, text: t });

describe('InboxQueue with KeyedQueueRunner', () => {
  let store: Store;
  let clock: FakeClock;

  beforeEach(async () => {
    store = await openEmbeddedStore({ inMemory: true });
    clock = new FakeClock();
  });
  afterEach(() => store.close());

  function runner(handle: (e: IncomingEvent) => Promise<void>, owner = 'instance-1', maxAttempts = 3) {
    return new KeyedQueueRunner({
      queue: new InboxQueue({
        inbox: store.inbox,
        handle,
        logger: silentLogger,
        hashId: (id) => `h(${id})`,
        now: clock.now,
        maxAttempts,
        backoff: { baseMs: 1_000, maxMs: 10_000 },
      }),
      leases: store.leases,
      owner,
      logger: silentLogger,
      now: clock.now,
    });
  }

  const ingest = () => createIngest({ inbox: store.inbox, retentionMs: 86_400_000, now: clock.now });

  it('handles one conversation strictly in order and one event at a time, others in parallel', async () => {
    const log: string[] = [];
    let inFlightForA = 0;
    let maxInFlightForA = 0;
    const handle = async (e: IncomingEvent) => {
      if (e.address === 'A') {
        inFlightForA++;
        maxInFlightForA = Math.max(maxInFlightForA, inFlightForA);
      }
      await new Promise((r) => setTimeout(r, 5));
      log.push(`${e.address}:${(e.content as { text: string }).text}`);
      if (e.address === 'A') inFlightForA--;
    };
    const t = clock.now();
    await ingest()([
      incomingEvent('A', text('1'), t, 0),
      incomingEvent('B', text('1'), t, 1),
      incomingEvent('A', text('2'), t, 2),
      incomingEvent('A', text('3'), new Date(t.getTime() + 1), 0),
    ]);
    // Two instances on one store race for the same work.
    await Promise.all([runner(handle, 'one').drain(), runner(handle, 'two').drain()]);

    expect(log.filter((l) => l.startsWith('A'))).toEqual(['A:1', 'A:2', 'A:3']);
    expect(log).toContain('B:1');
    expect(log).toHaveLength(4);
    expect(maxInFlightForA).toBe(1);
  });

  it('retries a failing event with backoff, blocking the later events of that conversation', async () => {
    const seen: string[] = [];
    let failures = 1;
    const handle = async (e: IncomingEvent) => {
      const label = (e.content as { text: string }).text;
      if (label === 'first' && failures-- > 0) throw new Error('store hiccup');
      seen.push(label);
    };
    const t = clock.now();
    const [first, second] = [
      incomingEvent('A', text('first'), t, 0),
      incomingEvent('A', text('second'), t, 1),
    ];
    await ingest()([first, second]);
    const r = runner(handle);

    await r.drain();
    expect(seen).toEqual([]);
    const failed = await store.inbox.get(first.id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: store hiccup' });

    clock.advance(1_000);
    await r.drain();
    expect(seen).toEqual(['first', 'second']);
  });

  it('parks an event after the last attempt, keeps its error, and lets the next one through', async () => {
    const seen: string[] = [];
    const handle = async (e: IncomingEvent) => {
      const label = (e.content as { text: string }).text;
      if (label === 'poison') throw new DeadlineExceededError('store.cases.get', 10);
      seen.push(label);
    };
    const t = clock.now();
    const poison = incomingEvent('A', text('poison'), t, 0);
    await ingest()([poison, incomingEvent('A', text('after'), t, 1)]);
    const r = runner(handle, 'one', 3);
    for (let i = 0; i < 3; i++) {
      await r.drain();
      clock.advance(60_000);
    }
    const parked = await store.inbox.get(poison.id);
    expect(parked).toMatchObject({
      status: 'parked',
      attempts: 3,
      lastError: 'DeadlineExceededError [DEADLINE_EXCEEDED]: store.cases.get did not answer within 10 ms',
    });
    expect(seen).toEqual(['after']);
    expect(await store.inbox.countByStatus()).toEqual({ pending: 0, done: 1, parked: 1 });
  });

  it.each([
    ['a bug', new TypeError('cannot read x of undefined'), 'TypeError: cannot read x of undefined'],
    [
      'a permanent coded error',
      new CodedError('LINE_LIMIT_EXCEEDED', 'permanent', 'too long'),
      'CodedError [LINE_LIMIT_EXCEEDED]: too long',
    ],
  ])('parks %s at once, without retrying, so the next event goes on', async (_what, error, lastError) => {
    const seen: string[] = [];
    const handle = async (e: IncomingEvent) => {
      const label = (e.content as { text: string }).text;
      if (label === 'poison') throw error;
      seen.push(label);
    };
    const t = clock.now();
    const poison = incomingEvent('A', text('poison'), t, 0);
    await ingest()([poison, incomingEvent('A', text('after'), t, 1)]);
    await runner(handle, 'one', 5).drain();
    expect(await store.inbox.get(poison.id)).toMatchObject({ status: 'parked', attempts: 1, lastError });
    expect(seen).toEqual(['after']);
  });

  it('retries a temporary coded error (another instance saved the session first)', async () => {
    let failures = 1;
    const handle = async () => {
      if (failures-- > 0) throw new SessionConflictError('session changed');
    };
    const event = incomingEvent('A', text('x'), clock.now(), 0);
    await ingest()([event]);
    await runner(handle).drain();
    expect(await store.inbox.get(event.id)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('waits for the lease of an instance that died mid-event, then takes over', async () => {
    const seen: string[] = [];
    await ingest()([incomingEvent('A', text('x'), clock.now())]);
    // The dead instance holds A's lease for 30 s.
    expect(
      await store.leases.acquire(
        'inbox:line:A',
        'dead',
        new Date(clock.now().getTime() + 30_000),
        clock.now(),
      ),
    ).toBe(true);
    const r = runner(async (e) => {
      seen.push(e.id);
    });
    await r.drain(1);
    expect(seen).toEqual([]);
    clock.advance(31_000);
    await r.drain();
    expect(seen).toHaveLength(1);
  });
});
