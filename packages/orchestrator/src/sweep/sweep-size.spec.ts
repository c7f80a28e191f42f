import { parseOrThrow } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { assertSweepSize, DEFAULT_MAX_RUNS, sweepSize } from './sweep-size.js';
import { sweepSpecSchema } from './sweep-spec.js';

const spec = (raw: Record<string, unknown>) =>
  parseOrThrow(sweepSpecSchema, { name: 'big', base: {}, ...raw }, 'sweep');
const values = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('sweepSize', () => {
  it('multiplies variants, grid lists, random samples and seeds', () => {
    expect(sweepSize(spec({}))).toEqual({ runs: 1n, factors: [] });
    const sweep = spec({
      variants: [
        { name: 'a', set: {} },
        { name: 'b', set: {} },
      ],
      grid: { 'optimizer.lr': values(3), epochs: values(5) },
      random: { count: 7, params: { seed: { distribution: 'int', min: 0, max: 9 } } },
      replicates: 1,
    });
    expect(sweepSize(sweep)).toEqual({
      runs: 210n,
      factors: ['2 variants', '3 grid.optimizer.lr', '5 grid.epochs', '7 random samples'],
    });
    expect(sweepSize(spec({ replicates: { seeds: [1, 2, 3] } })).runs).toBe(3n);
    expect(sweepSize(spec({ grid: { a: values(2) }, replicates: 4 })).runs).toBe(8n);
  });

  it('counts an absurd grid exactly', () => {
    const grid = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, values(100)]));
    expect(sweepSize(spec({ grid })).runs).toBe(10n ** 80n);
  });
});

describe('assertSweepSize', () => {
  const million = spec({ grid: { 'optimizer.lr': values(1000), 'optimizer.momentum': values(1000) } });

  it('refuses above the limit with the count, the factors and the fix', () => {
    expect(DEFAULT_MAX_RUNS).toBe(10_000);
    expect(() => assertSweepSize(million)).toThrow(
      expect.objectContaining({
        code: 'CONFIG.INVALID',
        message:
          "Sweep 'big' expands to 1,000,000 runs (1000 grid.optimizer.lr x 1000 grid.optimizer.momentum), above the limit of 10,000; nothing was expanded.",
        fix: expect.stringContaining('maxRuns: 1000000 in the sweep file, or --max-runs'),
        details: { runs: 1_000_000, limit: 10_000 },
      }),
    );
  });

  it("takes the file's maxRuns, and an explicit limit over it", () => {
    expect(() => assertSweepSize({ ...million, maxRuns: 1_000_000 })).not.toThrow();
    expect(() => assertSweepSize({ ...million, maxRuns: 1_000_000 }, 999_999)).toThrow(/above the limit of 999,999/);
    expect(() => assertSweepSize(spec({ grid: { a: values(3) } }), 3)).not.toThrow();
    expect(() => assertSweepSize(spec({ grid: { a: values(3) } }), 2)).toThrow(/3 runs/);
  });

  it('writes a count beyond 10^15 as a power of ten', () => {
    const grid = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, values(100)]));
    expect(() => assertSweepSize(spec({ grid }))).toThrow(
      expect.objectContaining({ message: expect.stringContaining('expands to about 10^80 runs') }),
    );
  });
});
