import { describe, expect, it } from 'vitest';
import { smooth } from '../ui/src/smoothing.js';

describe('curve smoothing (debiased EMA)', () => {
  it('keeps the curve at weight 0 and a constant at any weight', () => {
    expect(smooth([1, 5, 2], 0)).toEqual([1, 5, 2]);
    for (const v of smooth([3, 3, 3, 3], 0.9)) expect(v).toBeCloseTo(3, 12);
  });

  it('starts at the first value (no bias toward 0) and lags behind a step', () => {
    const out = smooth([0, 10, 10], 0.5);
    expect(out[0]).toBe(0);
    // EMA 2.5/0.75 after the first 10: (0.5*0*0.5... ) computed by hand: last=5, debias=0.75.
    expect(out[1]).toBeCloseTo(5 / 0.75, 12);
    expect(out[2]).toBeLessThan(10);
  });
});
