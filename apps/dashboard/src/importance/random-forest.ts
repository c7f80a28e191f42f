import type { Rng } from '@ltlab/core';

/**
 * A small random-forest regressor (Breiman 2001, "Random Forests", Machine Learning 45:5-32) for
 * hyperparameter importance over a sweep's runs: bootstrap-sampled CART regression trees
 * (Breiman et al. 1984) that pick the best split among `mtry` randomly drawn features at each node.
 *
 * Features are the swept parameters, one column each, so permuting a parameter permutes one
 * column. Numeric columns split on thresholds; `NaN` (a run without the leaf) is its own value that
 * a split sends to whichever side fits better. Categorical columns split into two subsets of
 * their codes: ordering the codes by their mean target and cutting that order gives the best
 * squared-error partition (Breiman et al. 1984, §9.4), so no one-hot columns are needed.
 * Split search on a numeric column looks at most `MAX_BINS` candidate thresholds (quantiles of
 * its values, as histogram-based boosting does) so thousands of runs fit at request time; a grid's
 * few values are all candidates, so its splits are exact.
 * Every random draw comes from the caller's seeded `Rng`, so a fit is reproducible.
 */
export type ForestFeature =
  | { kind: 'numeric'; values: Float64Array }
  /** Codes 0..levels-1; a run without the leaf has its own code. */
  | { kind: 'categorical'; values: Int32Array; levels: number };

export interface ForestOptions {
  trees: number;
  /** Features tried at each node. */
  mtry: number;
  /** A node with fewer samples is a leaf. */
  minSplit: number;
  /** Bootstrap sample size per tree (at most the number of rows). */
  sampleSize: number;
}

export type TreeNode =
  | { leaf: true; value: number }
  | {
      leaf: false;
      feature: number;
      /** Numeric: `x <= threshold` goes left. */
      threshold: number;
      /** Categorical: 1 for a code that goes left, 2 for one that goes right, 0 for one the node never saw. */
      side: Uint8Array | null;
      /** Where a missing numeric value, or a code the node never saw, goes. */
      otherLeft: boolean;
      left: TreeNode;
      right: TreeNode;
    };

export interface Tree {
  root: TreeNode;
  /** Rows not in this tree's bootstrap sample (out-of-bag), ascending. */
  outOfBag: number[];
}

export interface Forest {
  trees: Tree[];
}

/** One row's feature values, read column-wise: `row(feature)`. */
export type RowReader = (feature: number) => number;

/** Most candidate thresholds a numeric column offers a node. */
export const MAX_BINS = 64;

export function fitForest(
  features: readonly ForestFeature[],
  target: Float64Array,
  options: ForestOptions,
  rng: Rng,
): Forest {
  const n = target.length;
  const prepared = features.map(prepare);
  const trees: Tree[] = [];
  for (let t = 0; t < options.trees; t++) {
    const inBag = new Uint8Array(n);
    const sample = Array.from({ length: Math.min(n, options.sampleSize) }, () => {
      const row = rng.int(0, n);
      inBag[row] = 1;
      return row;
    });
    const outOfBag: number[] = [];
    for (let row = 0; row < n; row++) if (inBag[row] === 0) outOfBag.push(row);
    trees.push({ root: grow(prepared, target, sample, options, rng), outOfBag });
  }
  return { trees };
}

export function predictTree(node: TreeNode, row: RowReader): number {
  let current = node;
  while (!current.leaf) {
    const x = row(current.feature);
    let left: boolean;
    if (current.side === null) left = Number.isNaN(x) ? current.otherLeft : x <= current.threshold;
    else {
      const side = current.side[x] ?? 0;
      left = side === 0 ? current.otherLeft : side === 1;
    }
    current = left ? current.left : current.right;
  }
  return current.value;
}

/** The forest's prediction: the mean of its trees'. */
export function predictForest(forest: Forest, row: RowReader): number {
  return forest.trees.reduce((sum, tree) => sum + predictTree(tree.root, row), 0) / forest.trees.length;
}

/**
 * A column ready for split search, with scratch space reused by every node: numeric values as bin
 * indices (-1 for missing) and the threshold after each bin; categorical codes as they are.
 */
type Prepared =
  | {
      kind: 'numeric';
      values: Float64Array;
      bin: Int32Array;
      thresholds: Float64Array;
      sums: Float64Array;
      counts: Int32Array;
    }
  | { kind: 'categorical'; values: Int32Array; levels: number; sums: Float64Array; counts: Int32Array };

function prepare(feature: ForestFeature): Prepared {
  if (feature.kind === 'categorical') {
    const levels = feature.levels;
    return { ...feature, sums: new Float64Array(levels), counts: new Int32Array(levels) };
  }
  const present = [...feature.values].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const distinct = [...new Set(present)];
  // A distinct value's bin: its own while they are few, else the quantile its first rank falls in.
  const firstRank = new Map<number, number>();
  present.forEach((x, rank) => {
    if (!firstRank.has(x)) firstRank.set(x, rank);
  });
  const rawBin = distinct.map((x, i) =>
    distinct.length <= MAX_BINS ? i : Math.floor(((firstRank.get(x) as number) * MAX_BINS) / present.length),
  );
  const binOf = new Map<number, number>();
  const upper: number[] = [];
  const lower: number[] = [];
  distinct.forEach((x, i) => {
    if (i === 0 || rawBin[i] !== rawBin[i - 1]) lower.push(x);
    binOf.set(x, lower.length - 1);
    upper[lower.length - 1] = x;
  });
  // Midway from a bin's largest value to the next bin's smallest; after the last, only missing is right.
  const thresholds = Float64Array.from(upper, (high, b) =>
    b + 1 < lower.length ? (high + (lower[b + 1] as number)) / 2 : high,
  );
  const bin = Int32Array.from(feature.values, (x) => (Number.isNaN(x) ? -1 : (binOf.get(x) as number)));
  const bins = thresholds.length;
  return {
    kind: 'numeric',
    values: feature.values,
    bin,
    thresholds,
    sums: new Float64Array(bins),
    counts: new Int32Array(bins),
  };
}

interface Split {
  gain: number;
  feature: number;
  threshold: number;
  side: Uint8Array | null;
  otherLeft: boolean;
}

function grow(
  features: readonly Prepared[],
  target: Float64Array,
  rows: number[],
  options: ForestOptions,
  rng: Rng,
): TreeNode {
  let total = 0;
  for (const row of rows) total += target[row] as number;
  const value = total / rows.length;
  if (rows.length < options.minSplit) return { leaf: true, value };
  const tried = rng.permutation(features.length).slice(0, Math.max(1, Math.min(options.mtry, features.length)));
  let best: Split | null = null;
  for (const feature of tried) {
    const column = features[feature] as Prepared;
    const split =
      column.kind === 'numeric'
        ? bestNumericSplit(column, target, rows, total, feature)
        : bestCategoricalSplit(column, target, rows, total, feature);
    if (split !== null && (best === null || split.gain > best.gain)) best = split;
  }
  let spread = 0;
  for (const row of rows) spread += ((target[row] as number) - value) ** 2;
  // A gain within rounding of 0 only splits ties.
  if (best === null || best.gain <= 1e-12 * Math.max(1, spread)) return { leaf: true, value };
  const column = features[best.feature] as Prepared;
  const left: number[] = [];
  const right: number[] = [];
  for (const row of rows) {
    const x = column.values[row] as number;
    let goesLeft: boolean;
    if (best.side === null) goesLeft = Number.isNaN(x) ? best.otherLeft : x <= best.threshold;
    else goesLeft = best.side[x] === 1;
    (goesLeft ? left : right).push(row);
  }
  return {
    leaf: false,
    feature: best.feature,
    threshold: best.threshold,
    side: best.side,
    otherLeft: best.otherLeft,
    left: grow(features, target, left, options, rng),
    right: grow(features, target, right, options, rng),
  };
}

/**
 * The bin boundary that most reduces the squared error, with the missing rows sent to the better
 * side; also "missing vs present" when some are missing.
 */
function bestNumericSplit(
  column: Extract<Prepared, { kind: 'numeric' }>,
  target: Float64Array,
  rows: readonly number[],
  total: number,
  feature: number,
): Split | null {
  const { bin, sums, counts, thresholds } = column;
  let missingSum = 0;
  let missingN = 0;
  let low = thresholds.length;
  let high = -1;
  for (const row of rows) {
    const b = bin[row] as number;
    const y = target[row] as number;
    if (b < 0) {
      missingSum += y;
      missingN += 1;
    } else {
      sums[b] = (sums[b] as number) + y;
      counts[b] = (counts[b] as number) + 1;
      if (b < low) low = b;
      if (b > high) high = b;
    }
  }
  const n = rows.length;
  const base = (total * total) / n;
  let bestGain = Number.NEGATIVE_INFINITY;
  let bestBin = -1;
  let bestMissingLeft = false;
  let leftSum = 0;
  let leftN = 0;
  for (let b = low; b <= high; b++) {
    const count = counts[b] as number;
    if (count === 0) continue;
    leftSum += sums[b] as number;
    leftN += count;
    sums[b] = 0;
    counts[b] = 0;
    // Missing rows right, then (if any) left; a side left empty is no split.
    for (let side = 0; side < (missingN > 0 ? 2 : 1); side++) {
      const l = side === 1 ? leftN + missingN : leftN;
      const ls = side === 1 ? leftSum + missingSum : leftSum;
      if (l === 0 || l === n) continue;
      const gain = (ls * ls) / l + ((total - ls) * (total - ls)) / (n - l) - base;
      if (gain > bestGain) {
        bestGain = gain;
        bestBin = b;
        bestMissingLeft = side === 1;
      }
    }
  }
  if (bestBin < 0) return null;
  return {
    gain: bestGain,
    feature,
    threshold: thresholds[bestBin] as number,
    side: null,
    otherLeft: bestMissingLeft,
  };
}

/** Codes ordered by their mean target, cut where the squared error drops most (CART's subset rule). */
function bestCategoricalSplit(
  column: Extract<Prepared, { kind: 'categorical' }>,
  target: Float64Array,
  rows: readonly number[],
  total: number,
  feature: number,
): Split | null {
  const { values, sums, counts, levels } = column;
  for (const row of rows) {
    const code = values[row] as number;
    sums[code] = (sums[code] as number) + (target[row] as number);
    counts[code] = (counts[code] as number) + 1;
  }
  const present: Array<{ code: number; sum: number; n: number }> = [];
  for (let code = 0; code < levels; code++) {
    const n = counts[code] as number;
    if (n > 0) present.push({ code, sum: sums[code] as number, n });
    sums[code] = 0;
    counts[code] = 0;
  }
  if (present.length < 2) return null;
  // Ties in the mean are broken by code, so the fit does not depend on the order rows come in.
  present.sort((a, b) => a.sum / a.n - b.sum / b.n || a.code - b.code);
  const n = rows.length;
  const base = (total * total) / n;
  let bestGain = Number.NEGATIVE_INFINITY;
  let bestCut = 0;
  let bestLeftN = 0;
  let leftSum = 0;
  let leftN = 0;
  for (let cut = 1; cut < present.length; cut++) {
    const stat = present[cut - 1] as { sum: number; n: number };
    leftSum += stat.sum;
    leftN += stat.n;
    const gain = (leftSum * leftSum) / leftN + ((total - leftSum) * (total - leftSum)) / (n - leftN) - base;
    if (gain > bestGain) {
      bestGain = gain;
      bestCut = cut;
      bestLeftN = leftN;
    }
  }
  const side = new Uint8Array(levels);
  present.forEach(({ code }, index) => {
    side[code] = index < bestCut ? 1 : 2;
  });
  // A code this node never saw follows the majority.
  return { gain: bestGain, feature, threshold: Number.NaN, side, otherLeft: bestLeftN >= n - bestLeftN };
}
