import { Rng } from '@ltlab/core';
import type { ImportanceValue } from '../importance.js';
import { encodeParameter } from './encode-parameter.js';
import { importanceShares, permutationImportance } from './permutation-importance.js';
import { fitForest } from './random-forest.js';

/**
 * Model-based hyperparameter importance, beside η²: a random forest fitted to the objective over
 * all varied parameters at once, and each parameter's permutation importance on it, as a share of
 * the total (Breiman 2001; Optuna's and W&B's importance panels fit a forest too). Unlike η²,
 * which looks at one parameter at a time, it credits a parameter only for what the others do not
 * already explain; unlike a forest's impurity importance it does not favour parameters with many
 * values (Strobl et al. 2007, BMC Bioinformatics 8:25).
 *
 * It is computed only when it can hold up (see `MIN_RUNS` and `MIN_VARIED`); otherwise every
 * parameter gets `null` with a note saying why. The fit is seeded, so a page shows the same
 * numbers on every reload of the same runs.
 */
export interface ForestImportance {
  method: typeof FOREST_METHOD;
  /** Share of the forest's total permutation importance, in [0, 1]; null when `note` says why not. */
  importance: number | null;
  note: string | null;
  /** Runs the forest was fitted on. */
  n: number;
  /** The forest's out-of-bag R² (how well it predicts the objective at all), when it was fitted. */
  r2: number | null;
}

export const FOREST_METHOD = 'random-forest permutation (out-of-bag)';

/**
 * Fewer runs than this and the forest is not fitted. A tree draws about 63% of the runs as
 * distinct ones and is judged on the rest (out of bag), and a node of fewer than 5 is a leaf: with
 * 10 runs a tree grows from ~6 of them and splits once or twice, and the out-of-bag error the
 * importance is measured in rests on 10 runs each predicted by ~37 trees. Fewer, and the trees
 * are stumps on 2-3 runs a side; η² with its groups' n is then the honest summary.
 */
export const MIN_RUNS = 10;
/**
 * Parameters that must take two or more values among the scored runs. With one varied parameter
 * its share of the total is 1 whatever the data (it is the whole total), so the model adds nothing
 * to η²; a single parameter with many levels has the same problem.
 */
export const MIN_VARIED = 2;
/** Above this many scored runs the forest is fitted to a seeded random sample of them (request time). */
export const MAX_RUNS = 1000;

export const TREES = 100;
/** Nodes with fewer runs are leaves: 5 as in Breiman's regression forests, coarser past 500 runs (speed). */
export const minSplit = (n: number) => Math.max(5, Math.ceil(n / 100));
export const PERMUTATION_REPEATS = 3;
/** Fits kept for identical inputs: the sweep page refetches on every live event, objectives change rarely. */
const CACHE_SIZE = 8;
const cache = new Map<string, Map<string, ForestImportance>>();
const SEED = 'ltlab-dashboard-importance';

export const tooFewRuns = (n: number) =>
  `${n} run${n === 1 ? '' : 's'} with an objective: a model-based importance needs at least ${MIN_RUNS}`;
export const ONE_VARIED = 'only one parameter varies: its share would be 1 by construction (η² measures it alone)';
export const NOT_VARIED = 'every run with an objective has the same value: it cannot matter to the model';
export const noSignal = (r2: number) =>
  `the forest predicts the objective no better than its mean (out-of-bag R² ${r2.toFixed(2)}): importance cannot be read from it`;

type ScoredRow = { values: Record<string, ImportanceValue>; objective: number };

export function forestImportance(keys: readonly string[], rows: readonly ScoredRow[]): Map<string, ForestImportance> {
  const id = JSON.stringify([keys, rows.map((row) => [keys.map((key) => row.values[key] ?? null), row.objective])]);
  const result = cache.get(id) ?? fitForestImportance(keys, rows);
  // Most recently used last, so the first key is the one to drop.
  cache.delete(id);
  cache.set(id, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return new Map([...result].map(([key, value]) => [key, { ...value }]));
}

/** `forestImportance` without the cache: fits the forest every time. */
export function fitForestImportance(
  keys: readonly string[],
  rows: readonly ScoredRow[],
): Map<string, ForestImportance> {
  const rng = new Rng(SEED);
  const used =
    rows.length > MAX_RUNS
      ? rng
          .permutation(rows.length)
          .slice(0, MAX_RUNS)
          .sort((a, b) => a - b)
      : null;
  const sample = used === null ? rows : used.map((index) => rows[index] as (typeof rows)[number]);
  const n = sample.length;
  const encoded = keys.map((key) => encodeParameter(sample.map((row) => row.values[key] ?? null)));
  const varied = keys.flatMap((_, index) => ((encoded[index]?.levels ?? 0) >= 2 ? [index] : []));
  const result = new Map<string, ForestImportance>();
  const none = (note: string, r2: number | null = null): ForestImportance => ({
    method: FOREST_METHOD,
    importance: null,
    note,
    n,
    r2,
  });
  const common = n < MIN_RUNS ? tooFewRuns(n) : varied.length < MIN_VARIED ? ONE_VARIED : null;
  if (common !== null) {
    for (const key of keys) result.set(key, none(common));
    return result;
  }
  const features = varied.map((index) => (encoded[index] as (typeof encoded)[number]).feature);
  const target = Float64Array.from(sample, (row) => row.objective);
  const forest = fitForest(
    features,
    target,
    // Every parameter at every node (scikit-learn's regressor default), not Breiman's p/3: a sweep
    // has a few parameters, swept independently, and on such data the p/3 forest fits the weak
    // ones so loosely that their importance drops to 0 at a few tens of runs (the spec's data).
    { trees: TREES, minSplit: minSplit(n), mtry: features.length, sampleSize: n },
    rng,
  );
  const permutation = permutationImportance(forest, features, target, PERMUTATION_REPEATS, rng);
  const shares = importanceShares(permutation.increase);
  keys.forEach((key, index) => {
    const position = varied.indexOf(index);
    if (position < 0) result.set(key, none(NOT_VARIED, permutation.r2));
    else if (permutation.r2 <= 0) result.set(key, none(noSignal(permutation.r2), permutation.r2));
    else
      result.set(key, {
        method: FOREST_METHOD,
        importance: shares[position] ?? 0,
        note: null,
        n,
        r2: permutation.r2,
      });
  });
  return result;
}
