import { execFileSync } from 'node:child_process';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseStartMemory } from '../../src/processing/release-start-memory.js';

const releaseStartMemoryModule = new URL('../../src/processing/release-start-memory.ts', import.meta.url)
  .href;

/**
 * In a process of its own (the test runner's young generation has long grown): the young generation
 * after a load that keeps everything, with the growth held, then after the same load let to grow.
 */
function youngGenerationAfterLoads(): { start: number; held: number; grown: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { holdYoungGeneration, letYoungGenerationGrow } from ${JSON.stringify(releaseStartMemoryModule)};
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size;
    const load = () => Array.from({ length: 300000 }, (_, n) => ({ n, text: 'entry ' + n, pair: [n, n] }));
    const start = young();
    holdYoungGeneration();
    const first = load();
    const held = young();
    letYoungGenerationGrow();
    const second = load();
    console.log(JSON.stringify({ start, held, grown: young(), kept: first.length + second.length }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

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

  it('holds the young generation at its size while a load keeps everything, and lets it grow afterwards', () => {
    const { start, held, grown } = youngGenerationAfterLoads();
    expect(held).toBeLessThanOrEqual(2 * start);
    expect(grown).toBeGreaterThan(4 * held);
  });
});
