import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  const options = { baseMs: 100, maxMs: 1_000 };

  it('doubles the ceiling per retry and keeps half of it fixed', () => {
    expect([1, 2, 3].map((retry) => backoffDelayMs(retry, options, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((retry) => backoffDelayMs(retry, options, () => 1))).toEqual([100, 200, 400]);
  });

  it('never exceeds the maximum', () => {
    expect(backoffDelayMs(20, options, () => 1)).toBe(1_000);
    expect(backoffDelayMs(20, options, () => 0)).toBe(500);
  });

  it('spreads retries of the same number', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3, options)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(200);
  });
});
