import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import type { ImportanceValue } from '../importance.js';
import {
  FOREST_METHOD,
  fitForestImportance,
  forestImportance,
  MAX_RUNS,
  NOT_VARIED,
  ONE_VARIED,
  tooFewRuns,
} from './forest-importance.js';

const LOSSES = ['ce', 'ldam', 'paco'] as const;
const EFFECT: Record<(typeof LOSSES)[number], number> = { ce: 0.5, ldam: 0.62, paco: 0.74 };

/** Objective: strongly the loss, weakly log10(lr), not the seed; every run sets `epochs: 8`. */
function runs(n: number, seed = 0) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const loss = LOSSES[i % 3] as (typeof LOSSES)[number];
    const lr = 10 ** rng.uniform(-4, -1);
    const values: Record<string, ImportanceValue> = { loss, lr, seed: rng.int(0, 5), epochs: 8 };
    return { values, objective: EFFECT[loss] + 0.01 * Math.log10(lr) + rng.normal(0, 0.003) };
  });
}
const KEYS = ['seed', 'lr', 'loss', 'epochs'];

describe('model-based (random-forest permutation) importance', () => {
  it('ranks loss > lr > seed with the seed near 0, shares summing to 1, each with its n', () => {
    const result = forestImportance(KEYS, runs(36));
    const share = (key: string) => result.get(key)?.importance ?? Number.NaN;
    expect(share('loss')).toBeGreaterThan(share('lr'));
    expect(share('lr')).toBeGreaterThan(share('seed'));
    expect(share('seed')).toBeLessThan(0.05);
    expect(share('loss') + share('lr') + share('seed')).toBeCloseTo(1, 12);
    expect(result.get('loss')).toMatchObject({ method: FOREST_METHOD, n: 36, note: null });
    expect(result.get('loss')?.r2).toBeGreaterThan(0.8);
    // A leaf every run shares is no column of the forest.
    expect(result.get('epochs')).toMatchObject({ importance: null, note: NOT_VARIED, n: 36 });
  });

  it('gives the same numbers for the same runs, fitted again or read from the cache', () => {
    const fitted = fitForestImportance(KEYS, runs(20));
    expect(fitForestImportance(KEYS, runs(20))).toEqual(fitted);
    expect(forestImportance(KEYS, runs(20))).toEqual(fitted);
    expect(forestImportance(KEYS, runs(20))).toEqual(fitted);
    // Other runs, other numbers: the cache is keyed by the values and objectives.
    expect(forestImportance(KEYS, runs(20, 5))).not.toEqual(fitted);
  });

  it('is not computed from fewer than 10 runs, nor with one varied parameter', () => {
    const few = forestImportance(KEYS, runs(9));
    for (const key of KEYS) expect(few.get(key)).toMatchObject({ importance: null, note: tooFewRuns(9), n: 9 });
    expect(tooFewRuns(9)).toBe('9 runs with an objective: a model-based importance needs at least 10');
    const single = forestImportance(['loss', 'epochs'], runs(30));
    expect(single.get('loss')).toMatchObject({ importance: null, note: ONE_VARIED, r2: null });
  });

  it('says so when the forest cannot predict the objective (pure noise)', () => {
    const rng = new Rng(3);
    const noise = Array.from({ length: 30 }, (_, i) => ({
      values: { a: i % 3, b: ['x', 'y'][i % 2] ?? null } as Record<string, ImportanceValue>,
      objective: rng.normal(0, 1),
    }));
    const result = forestImportance(['a', 'b'], noise);
    expect(result.get('a')?.importance).toBeNull();
    expect(result.get('a')?.note).toMatch(/no better than its mean \(out-of-bag R² -?\d\.\d\d\)/);
    expect(result.get('a')?.r2).toBeLessThanOrEqual(0);
  });

  it('fits a seeded sample of the runs above MAX_RUNS and says how many it used', () => {
    const many = runs(MAX_RUNS + 50, 1);
    const result = forestImportance(['loss', 'lr'], many);
    expect(result.get('loss')?.n).toBe(MAX_RUNS);
    expect(result.get('loss')?.importance).toBeGreaterThan(0.5);
  }, 60_000);
});
