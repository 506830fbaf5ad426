import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/core/backoff.js';

const policy = { baseMs: 1_000, maxMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt and jitters within its upper half', () => {
    expect(backoffDelay(1, policy, undefined, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, undefined, () => 1)).toBe(1_000);
    expect(backoffDelay(3, policy, undefined, () => 1)).toBe(4_000);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelay(30, policy, undefined, () => 1)).toBe(60_000);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(backoffDelay(1, policy, 7_000, () => 0)).toBe(7_000);
  });
});
