import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports/store.js';
import { describeQueueContract } from './contract/queue-contract.js';
import { describeRecordContract } from './contract/record-contract.js';
import { describeStaffContract } from './contract/staff-contract.js';
import { describeWatchContract } from './contract/watch-contract.js';

/**
 * The storage contract: every Store backend must pass these same cases. `open` must give a store
 * with no data in it each time it is called.
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<Store>,
  opts: { skip?: string } = {},
) {
  if (opts.skip) {
    describe.skip(`${name} store contract (skipped: ${opts.skip})`, () => {
      it('is skipped', () => {});
    });
    return;
  }

  describe(`${name} store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describeQueueContract(() => store);
    describeRecordContract(() => store);
    describeStaffContract(() => store);
    describeWatchContract(() => store);

    it('pings', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('flushes, and what was written before is still read back', async () => {
      await store.contacts.setFollowing('line', 'U-flush', true, new Date());
      await expect(store.flush()).resolves.toBeUndefined();
      expect(await store.contacts.get('line', 'U-flush')).toMatchObject({ following: true });
    });
  });
}
