import { LtlabError } from '@ltlab/core';
import { checkLabels, rowsOf, type ScoreMatrix } from './inputs.js';

/**
 * Fraction of samples whose label is among the k highest scores (top-1 = accuracy). A tie with the
 * k-th score counts as a hit only if the label's index is lower, as a stable sort would rank it.
 */
export function topKAccuracy(scores: ScoreMatrix, labels: ArrayLike<number>, k = 1): number {
  const n = rowsOf(scores);
  if (labels.length !== n) {
    throw new LtlabError('CONFIG.INVALID', `topKAccuracy: ${n} score rows but ${labels.length} labels.`);
  }
  if (!Number.isInteger(k) || k < 1) throw new LtlabError('CONFIG.INVALID', `k must be a positive integer, got ${k}.`);
  if (n === 0) return 0;
  checkLabels(labels, scores.numClasses);
  const { data, numClasses } = scores;
  let hits = 0;
  for (let r = 0; r < n; r++) {
    const base = r * numClasses;
    const y = labels[r] as number;
    const target = data[base + y] as number;
    // Rank of the label = number of classes that beat it.
    let ahead = 0;
    for (let c = 0; c < numClasses && ahead < k; c++) {
      const v = data[base + c] as number;
      if (v > target || (v === target && c < y)) ahead++;
    }
    if (ahead < k) hits++;
  }
  return hits / n;
}
