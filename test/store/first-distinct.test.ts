import { describe, expect, it } from 'vitest';
import { firstDistinct } from '../../src/store/first-distinct.js';

/** Rows from an iterator that counts what was read and says whether it was closed. */
function counted<T>(rows: T[]) {
  const state = { read: 0, closed: false };
  const iterator: IterableIterator<T> = {
    next: () =>
      state.read < rows.length
        ? { value: rows[state.read++] as T, done: false }
        : { value: undefined, done: true },
    return: () => {
      state.closed = true;
      return { value: undefined, done: true };
    },
    [Symbol.iterator]: () => iterator,
  };
  return { iterator, state };
}

describe('firstDistinct', () => {
  const rows = ['a1', 'a2', 'b1', 'a3', 'c1', 'b2', 'd1'].map((id) => ({ id, key: id[0] as string }));

  it('keeps the first row of each key in the order met, and stops reading at the limit', async () => {
    const { iterator, state } = counted(rows);
    const first = await firstDistinct(iterator, (row) => row.key, 3);
    expect(first.map((row) => row.id)).toEqual(['a1', 'b1', 'c1']);
    expect(state.read).toBe(5);
    expect(state.closed).toBe(true);
  });

  it('reads everything when fewer keys than the limit are there, and nothing for a limit of 0', async () => {
    expect((await firstDistinct(rows, (row) => row.key, 10)).map((row) => row.id)).toEqual([
      'a1',
      'b1',
      'c1',
      'd1',
    ]);
    const { iterator, state } = counted(rows);
    expect(await firstDistinct(iterator, (row) => row.key, 0)).toEqual([]);
    expect(state.read).toBe(0);
  });
});
