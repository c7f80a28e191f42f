import { deriveSeed, Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import type { Distribution } from '../sweep/sweep-spec.js';
import { drawFromDistribution } from './draw-distribution.js';
import { suggestTpe, type TpeResult, type TpeSettings, tpeGamma } from './tpe-sampler.js';

type Objective = (params: Record<string, unknown>) => number;

/** Branin-Hoo, minimum 0.397887 at (-pi, 12.275), (pi, 2.275) and (9.42478, 2.475). */
const branin: Objective = (p) => {
  const x1 = p.x1 as number;
  const x2 = p.x2 as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
};
const braninSpace: Record<string, Distribution> = {
  x1: { distribution: 'uniform', min: -5, max: 10 },
  x2: { distribution: 'uniform', min: 0, max: 15 },
};

/** A training-like space: two log-scale rates, an optimizer choice and a depth; minimum 0. */
const mixed: Objective = (p) =>
  (Math.log10(p.lr as number) + 2.5) ** 2 +
  0.5 * (Math.log10(p.wd as number) + 4) ** 2 +
  (({ sgd: 1, adam: 0, lamb: 2 } as Record<string, number>)[p.optimizer as string] as number) +
  0.2 * Math.abs((p.depth as number) - 5);
const mixedSpace: Record<string, Distribution> = {
  lr: { distribution: 'log-uniform', min: 1e-5, max: 1 },
  wd: { distribution: 'log-uniform', min: 1e-6, max: 1e-2 },
  optimizer: { distribution: 'choice', values: ['sgd', 'adam', 'lamb'] },
  depth: { distribution: 'int', min: 1, max: 8 },
};

/** The best of `budget` sequential TPE suggestions (each sees every earlier result). */
function tpeBest(
  space: Record<string, Distribution>,
  f: Objective,
  seed: number,
  budget: number,
  settings: Partial<TpeSettings> = {},
): number {
  const results: TpeResult[] = [];
  for (let index = 0; index < budget; index++) {
    const { params } = suggestTpe({ params: space, results, index, seed, mode: 'min', settings });
    results.push({ index, params, value: f(params) });
  }
  return Math.min(...results.map((r) => r.value));
}

/** The best of `budget` draws, as a `random:` sweep of the same seed draws them (expand-sweep.ts). */
function randomBest(space: Record<string, Distribution>, f: Objective, seed: number, budget: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < budget; i++) {
    const rng = new Rng(deriveSeed(seed, 'sweep-random', i));
    best = Math.min(
      best,
      f(Object.fromEntries(Object.entries(space).map(([k, d]) => [k, drawFromDistribution(rng, d)]))),
    );
  }
  return best;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
}

const SEEDS = Array.from({ length: 21 }, (_, i) => i);
const BUDGET = 40;

describe('suggestTpe', () => {
  it('counts the best tenth of the results as good, at most 25 (Optuna default gamma)', () => {
    expect([1, 10, 11, 40, 250, 1000].map(tpeGamma)).toEqual([1, 1, 2, 4, 25, 25]);
  });

  it('draws at random, conditioned on nothing, until `startup` results are in', () => {
    const results: TpeResult[] = [];
    for (let index = 0; index < 12; index++) {
      const suggestion = suggestTpe({ params: braninSpace, results, index, seed: 1, mode: 'min' });
      expect(suggestion.algorithm).toBe(index < 10 ? 'tpe-startup' : 'tpe');
      expect(suggestion.conditionedOn).toBe(index < 10 ? 0 : index);
      results.push({ index, params: suggestion.params, value: branin(suggestion.params) });
    }
    // Fewer results than `startup` (runs still training): still a draw, even at a late index.
    expect(
      suggestTpe({ params: braninSpace, results: results.slice(0, 9), index: 20, seed: 1, mode: 'min' }).algorithm,
    ).toBe('tpe-startup');
  });

  it('suggests the same for the same inputs, whatever order the results come in', () => {
    const results: TpeResult[] = [];
    for (let index = 0; index < 15; index++) {
      const { params } = suggestTpe({ params: mixedSpace, results, index, seed: 4, mode: 'min' });
      results.push({ index, params, value: mixed(params) });
    }
    const input = { params: mixedSpace, results, index: 15, seed: 4, mode: 'min' as const };
    const first = suggestTpe(input);
    expect(suggestTpe(input)).toEqual(first);
    expect(suggestTpe({ ...input, results: [...results].reverse() })).toEqual(first);
    expect(suggestTpe({ ...input, params: Object.fromEntries(Object.entries(mixedSpace).reverse()) })).toEqual(first);
    // Another index or seed is another stream; one more result is other information.
    expect(suggestTpe({ ...input, index: 16 }).params).not.toEqual(first.params);
    expect(suggestTpe({ ...input, seed: 5 }).params).not.toEqual(first.params);
    expect(suggestTpe({ ...input, results: results.slice(1) }).params).not.toEqual(first.params);
  });

  it('keeps every suggestion inside its distribution', () => {
    const results: TpeResult[] = [];
    for (let index = 0; index < 30; index++) {
      const { params } = suggestTpe({
        params: mixedSpace,
        results,
        index,
        seed: 9,
        mode: 'min',
        settings: { startup: 3 },
      });
      expect(params.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(params.lr as number).toBeLessThanOrEqual(1);
      expect(params.wd as number).toBeGreaterThanOrEqual(1e-6);
      expect(params.wd as number).toBeLessThanOrEqual(1e-2);
      expect(['sgd', 'adam', 'lamb']).toContain(params.optimizer);
      expect(Number.isInteger(params.depth) && (params.depth as number) >= 1 && (params.depth as number) <= 8).toBe(
        true,
      );
      results.push({ index, params, value: mixed(params) });
    }
  });

  it('maximises as readily as it minimises', () => {
    const negated = (p: Record<string, unknown>) => -branin(p);
    const results: TpeResult[] = [];
    for (let index = 0; index < BUDGET; index++) {
      const { params } = suggestTpe({ params: braninSpace, results, index, seed: 2, mode: 'max' });
      results.push({ index, params, value: negated(params) });
    }
    // The same search as minimising Branin: same draws, same choices.
    expect(-Math.max(...results.map((r) => r.value))).toBe(tpeBest(braninSpace, branin, 2, BUDGET));
  });

  it('returns a one-value distribution as it is, and searches the rest', () => {
    const space: Record<string, Distribution> = {
      ...braninSpace,
      fixed: { distribution: 'choice', values: [{ loss: 'paco' }] },
      pinned: { distribution: 'int', min: 3, max: 3 },
    };
    const results: TpeResult[] = [];
    for (let index = 0; index < 12; index++) {
      const suggestion = suggestTpe({ params: space, results, index, seed: 0, mode: 'min' });
      expect(suggestion.params.fixed).toEqual({ loss: 'paco' });
      expect(suggestion.params.pinned).toBe(3);
      results.push({ index, params: suggestion.params, value: branin(suggestion.params) });
    }
  });

  it('recognises an object choice in a result whose config filled in defaults', () => {
    const space: Record<string, Distribution> = {
      x1: braninSpace.x1 as Distribution,
      method: { distribution: 'choice', values: [{ loss: 'ce' }, { loss: 'paco', options: { alpha: 0.05 } }] },
    };
    const results: TpeResult[] = Array.from({ length: 12 }, (_, index) => ({
      index,
      params: {
        x1: index - 5,
        method: index % 2 === 0 ? { loss: 'ce', options: {} } : { loss: 'paco', options: { alpha: 0.05, beta: 1 } },
      },
      value: index % 2, // ce is better
    }));
    const suggestion = suggestTpe({
      params: space,
      results,
      index: 12,
      seed: 0,
      mode: 'min',
      settings: { startup: 10 },
    });
    // All twelve results count (none was dropped as an unknown choice).
    expect(suggestion).toMatchObject({ algorithm: 'tpe', conditionedOn: 12 });
  });

  it.each([false, true])('beats random search on Branin at equal budget (multivariate %s)', (multivariate) => {
    const tpe = SEEDS.map((seed) => tpeBest(braninSpace, branin, seed, BUDGET, { multivariate }));
    const random = SEEDS.map((seed) => randomBest(braninSpace, branin, seed, BUDGET));
    expect(median(tpe)).toBeLessThan(median(random));
    expect(SEEDS.filter((_, i) => (tpe[i] as number) < (random[i] as number)).length).toBeGreaterThan(SEEDS.length / 2);
  });

  it.each([false, true])(
    'beats random search on a log-uniform, int and choice space (multivariate %s)',
    (multivariate) => {
      const tpe = SEEDS.map((seed) => tpeBest(mixedSpace, mixed, seed, BUDGET, { multivariate }));
      const random = SEEDS.map((seed) => randomBest(mixedSpace, mixed, seed, BUDGET));
      expect(median(tpe)).toBeLessThan(median(random));
      expect(SEEDS.filter((_, i) => (tpe[i] as number) < (random[i] as number)).length).toBeGreaterThan(
        SEEDS.length / 2,
      );
    },
  );
});
