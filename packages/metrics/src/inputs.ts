import { LtlabError } from '@ltlab/core';

/**
 * Scores of N samples over C classes, row-major (`data[n * numClasses + c]`): logits or
 * probabilities, as a typed array straight from a tensor's `dataSync()` or a plain array.
 */
export interface ScoreMatrix {
  data: ArrayLike<number>;
  numClasses: number;
}

/** The number of rows of a score matrix, checking that its length fits. */
export function rowsOf(scores: ScoreMatrix): number {
  const { data, numClasses } = scores;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new LtlabError('CONFIG.INVALID', `numClasses must be a positive integer, got ${numClasses}.`);
  }
  if (data.length % numClasses !== 0) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `A score matrix of ${data.length} values is not a whole number of rows of ${numClasses} classes.`,
    );
  }
  return data.length / numClasses;
}

/** Checks that labels (and predictions, when given) are integers in [0, numClasses) of one length. */
export function checkLabels(labels: ArrayLike<number>, numClasses: number, what = 'labels'): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new LtlabError('CONFIG.INVALID', `${what}[${i}] is ${y}; expected an integer in [0, ${numClasses}).`);
    }
  }
}

export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) {
    throw new LtlabError('CONFIG.INVALID', `${what}: lengths differ (${a.length} vs ${b.length}).`);
  }
}

/** Index of the largest score of each row; ties go to the lowest index (as torch.argmax on CPU). */
export function argmaxRows(scores: ScoreMatrix): Int32Array {
  const n = rowsOf(scores);
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) out[r] = rowMax(scores, r).index;
  return out;
}

/** The largest score of row `r` and its column (the first one on ties). */
export function rowMax(scores: ScoreMatrix, r: number): { index: number; value: number } {
  const { data, numClasses } = scores;
  const base = r * numClasses;
  let index = 0;
  let value = data[base] as number;
  for (let c = 1; c < numClasses; c++) {
    const v = data[base + c] as number;
    if (v > value) {
      value = v;
      index = c;
    }
  }
  return { index, value };
}
