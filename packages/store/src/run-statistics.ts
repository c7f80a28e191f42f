import type { ColumnStats } from './wire/run-table.js';

/**
 * The statistics of a group of runs (the seeds of one configuration). The SQL (groupSql) sums
 * in the database and returns moments; the spread is finished here, the same on both databases.
 */

/** Sample standard deviation from the mean and the mean of squares (n - 1 in the denominator). */
export function sampleStd(mean: number | null, meanOfSquares: number | null, n: number): number | null {
  if (mean === null || meanOfSquares === null || n < 2) return null;
  const variance = ((meanOfSquares - mean * mean) * n) / (n - 1);
  // Rounding can make a variance of equal values slightly negative.
  return Math.sqrt(Math.max(0, variance));
}

/** A column's statistics over the `n` runs of a group that have a value for it. */
export function columnStats(mean: number | null, meanOfSquares: number | null, n: number): ColumnStats {
  return { mean, std: sampleStd(mean, meanOfSquares, n), n };
}
