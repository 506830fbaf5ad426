import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseStartMemory } from '../../src/processing/release-start-memory.js';

describe('releaseStartMemory', () => {
  it('collects the garbage a start leaves behind, so the heap is smaller afterwards', () => {
    // Garbage as loading leaves it: many small objects, no longer referenced.
    let garbage: Array<{ n: number; text: string }> | undefined = Array.from({ length: 400_000 }, (_, n) => ({
      n,
      text: `feature ${n}`,
    }));
    expect(garbage.length).toBe(400_000);
    garbage = undefined;
    const before = process.memoryUsage().heapUsed;
    releaseStartMemory();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before - 10_000_000);
  });

  it('leaves gc() hidden from every context created afterwards', () => {
    releaseStartMemory();
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
