import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckInRecord, Store, WatchRecord } from '../../../src/core/ports/store.js';
import { at, DAY } from './contract-fixtures.js';

const plan: WatchRecord['plan'] = {
  frequency: { kind: 'weekdays', days: [1, 3, 5] },
  slot: '10:00',
  durationDays: 30,
  missThreshold: 2,
  daysOff: [0],
};

function watch(id: string, residentKey = `line:U-${id}`) {
  return {
    id,
    caseId: id,
    residentKey,
    language: 'ja',
    plan,
    status: 'proposed' as const,
    proposedBy: 'staff-a',
    createdAt: at(0),
  };
}

function checkIn(id: string, watchId: string, dueAt: Date): CheckInRecord {
  return { id, watchId, caseId: watchId, dueAt, status: 'sent', expiresAt: at(90 * DAY) };
}

/** Watches (見守り) and their check-ins: the contract every backend passes. */
export function describeWatchContract(getStore: () => Store) {
  let store: Store;
  beforeEach(() => {
    store = getStore();
  });

  describe('watch', () => {
    it('stores a watch and returns it unchanged, plan and Dates included', async () => {
      const stored = await store.watch.put(watch('c1'), at(0));
      expect(stored).toEqual({ ...watch('c1'), round: 0, updatedAt: at(0) });
      expect(await store.watch.get('c1')).toEqual(stored);
      expect((await store.watch.get('c1'))?.createdAt).toBeInstanceOf(Date);
      expect(await store.watch.get('nope')).toBeNull();
    });

    it('changes a watch only from the round it was read at, and removes fields given as undefined', async () => {
      await store.watch.put(watch('c1'), at(0));
      const active = await store.watch.change(
        'c1',
        0,
        { status: 'active', startedAt: at(1), pausedUntil: at(DAY) },
        at(1),
      );
      expect(active).toMatchObject({ status: 'active', round: 1, pausedUntil: at(DAY), updatedAt: at(1) });
      // A second writer that read round 0 loses.
      expect(await store.watch.change('c1', 0, { status: 'proposed' }, at(2))).toBeNull();
      const resumed = await store.watch.change('c1', 1, { pausedUntil: undefined }, at(3));
      expect(resumed?.round).toBe(2);
      expect(resumed && 'pausedUntil' in resumed).toBe(false);
      expect(await store.watch.countByStatus()).toEqual({ proposed: 0, active: 1 });
    });

    it('lists a resident’s watches and deletes a schedule once', async () => {
      await store.watch.put(watch('c1', 'line:U1'), at(0));
      await store.watch.put(watch('c2', 'line:U1'), at(0));
      await store.watch.put(watch('c3', 'line:U2'), at(0));
      expect((await store.watch.listByResident('line:U1')).map((w) => w.id)).toEqual(['c1', 'c2']);
      expect(await store.watch.delete('c1')).toBe(true);
      expect(await store.watch.delete('c1')).toBe(false);
      expect(await store.watch.get('c1')).toBeNull();
    });

    it('records each occurrence once and settles it once', async () => {
      const first = checkIn('c1-a', 'c1', at(DAY));
      expect(await store.watch.addCheckIn(first)).toBe('added');
      expect(await store.watch.addCheckIn({ ...first, status: 'skipped' })).toBe('exists');
      expect(await store.watch.getCheckIn('c1-a')).toEqual(first);

      const [a, b] = await Promise.all([
        store.watch.settleCheckIn('c1-a', ['sent'], {
          status: 'answered',
          answer: 'fine',
          answeredAt: at(2),
        }),
        store.watch.settleCheckIn('c1-a', ['sent'], { status: 'missed' }),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      const settled = await store.watch.getCheckIn('c1-a');
      expect(settled?.status === 'answered' ? settled.answer : settled?.status).toMatch(/fine|missed/);
    });

    it('lists check-ins by watch and by due time, and removes expired ones', async () => {
      await store.watch.addCheckIn(checkIn('c1-b', 'c1', at(2 * DAY)));
      await store.watch.addCheckIn(checkIn('c1-a', 'c1', at(DAY)));
      await store.watch.addCheckIn({ ...checkIn('c2-a', 'c2', at(3 * DAY)), expiresAt: at(-1) });
      expect((await store.watch.listCheckIns('c1')).map((c) => c.id)).toEqual(['c1-a', 'c1-b']);
      expect((await store.watch.listCheckInsDue(at(DAY), at(3 * DAY))).map((c) => c.id)).toEqual([
        'c1-a',
        'c1-b',
      ]);
      expect(await store.watch.removeExpired(at(0))).toBe(1);
      expect(await store.watch.getCheckIn('c2-a')).toBeNull();
    });

    it('erases a resident’s watches with their check-ins, and no one else’s', async () => {
      await store.watch.put(watch('c1', 'line:U1'), at(0));
      await store.watch.put(watch('c2', 'line:U2'), at(0));
      await store.watch.addCheckIn(checkIn('c1-a', 'c1', at(DAY)));
      await store.watch.addCheckIn(checkIn('c2-a', 'c2', at(DAY)));
      expect(await store.watch.eraseResident('line:U1')).toBe(1);
      expect(await store.watch.get('c1')).toBeNull();
      expect(await store.watch.listCheckIns('c1')).toEqual([]);
      expect(await store.watch.listCheckIns('c2')).toHaveLength(1);
    });

    it('links a watcher by an unexpired code without touching the schedule round, and forgets them', async () => {
      await store.watch.put(watch('c1'), at(0));
      const active = await store.watch.change('c1', 0, { status: 'active' }, at(1));
      const invited = await store.watch.setWatcher(
        'c1',
        { watcherCode: 'K7P2QX', watcherCodeExpiresAt: at(DAY) },
        at(2),
      );
      expect(invited?.round).toBe(active?.round);
      expect((await store.watch.findByWatcherCode('K7P2QX', at(3)))?.id).toBe('c1');
      expect(await store.watch.findByWatcherCode('K7P2QX', at(2 * DAY))).toBeNull();
      expect(await store.watch.findByWatcherCode('NOPE00', at(3))).toBeNull();
      const linked = await store.watch.setWatcher(
        'c1',
        { watcherKey: 'line:Ufamily', watcherCode: undefined, watcherCodeExpiresAt: undefined },
        at(4),
      );
      expect(linked).toMatchObject({ watcherKey: 'line:Ufamily', round: active?.round });
      expect(linked && 'watcherCode' in linked).toBe(false);
      expect(await store.watch.forgetWatcher('line:Ufamily', at(5))).toBe(1);
      expect((await store.watch.get('c1'))?.watcherKey).toBeUndefined();
      expect(await store.watch.setWatcher('nope', { watcherKey: 'x' }, at(6))).toBeNull();
    });
  });
}
