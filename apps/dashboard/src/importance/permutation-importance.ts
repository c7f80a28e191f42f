import type { Rng } from '@ltlab/core';
import { type Forest, type ForestFeature, predictTree } from './random-forest.js';

/**
 * Permutation importance of a random forest (Breiman 2001, §10): how much the out-of-bag squared
 * error grows when one feature's values are shuffled, breaking its link to the target while
 * keeping its distribution. Breiman shuffles within each tree's out-of-bag rows; here a column is
 * shuffled across all rows once per repeat and each row is scored by the trees it was out of bag
 * for, so the shuffle draws from every run rather than the ~37% one tree leaves out, which is
 * steadier with the tens of runs a sweep has. The increase is averaged over `repeats` shuffles.
 */
export interface PermutationImportance {
  /** Mean increase of the out-of-bag mean squared error per feature (can be < 0 by chance). */
  increase: number[];
  /** Out-of-bag mean squared error of the intact data. */
  mse: number;
  /** 1 - mse / variance of the target over the same rows: how well the forest predicts at all. */
  r2: number;
  /** Rows with at least one out-of-bag tree (the rows scored). */
  scored: number;
}

export function permutationImportance(
  forest: Forest,
  features: readonly ForestFeature[],
  target: Float64Array,
  repeats: number,
  rng: Rng,
): PermutationImportance {
  const n = target.length;
  // For each row, the trees that did not see it.
  const oobTrees: number[][] = Array.from({ length: n }, () => []);
  forest.trees.forEach((tree, t) => {
    for (const row of tree.outOfBag) oobTrees[row]?.push(t);
  });
  const rows = oobTrees.flatMap((trees, row) => (trees.length > 0 ? [row] : []));
  const identity = Array.from({ length: n }, (_, row) => row);
  const roots = forest.trees.map((tree) => tree.root);
  // One array type for every column keeps the reads below monomorphic (several times faster).
  const columns = features.map((feature) => Float64Array.from(feature.values));
  const oobMse = (permuted: number, source: readonly number[]): number => {
    let total = 0;
    let current = 0;
    const read = (feature: number) =>
      (columns[feature] as Float64Array)[feature === permuted ? (source[current] as number) : current] as number;
    for (const row of rows) {
      current = row;
      const trees = oobTrees[row] as number[];
      let prediction = 0;
      for (const t of trees) prediction += predictTree(roots[t] as Forest['trees'][number]['root'], read);
      total += ((target[row] as number) - prediction / trees.length) ** 2;
    }
    return rows.length === 0 ? 0 : total / rows.length;
  };
  const mse = oobMse(-1, identity);
  const increase = features.map((_, feature) => {
    let total = 0;
    for (let r = 0; r < repeats; r++) {
      const source = rng.shuffle(identity.slice());
      total += oobMse(feature, source) - mse;
    }
    return total / repeats;
  });
  const center = rows.reduce((sum, row) => sum + (target[row] as number), 0) / Math.max(1, rows.length);
  const variance =
    rows.reduce((sum, row) => sum + ((target[row] as number) - center) ** 2, 0) / Math.max(1, rows.length);
  return { increase, mse, r2: variance === 0 ? 0 : 1 - mse / variance, scored: rows.length };
}

/** Increases clipped at 0 and scaled to shares summing to 1; all 0 when none is positive. */
export function importanceShares(increase: readonly number[]): number[] {
  const clipped = increase.map((value) => Math.max(0, value));
  const total = clipped.reduce((sum, value) => sum + value, 0);
  return clipped.map((value) => (total > 0 ? value / total : 0));
}
