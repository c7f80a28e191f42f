import { LtlabError } from '@ltlab/core';
import type { SweepSpec } from './sweep-spec.js';

/** The most runs a sweep may expand to unless its file (`maxRuns:`) or `--max-runs` says otherwise. */
export const DEFAULT_MAX_RUNS = 10_000;

export interface SweepSize {
  /** Variants x grid combinations x random samples (or TPE suggestions) x seeds, before coinciding configs are dropped. */
  runs: bigint;
  /** The factors of that product, for the message: `1000 grid.optimizer.lr`, `3 seeds`. */
  factors: string[];
}

/**
 * Counts the runs a sweep expands to from the lengths of its lists alone, without expanding
 * anything: a 10^6 grid is refused in microseconds, where expanding it took minutes and
 * gigabytes. A bigint, so an absurd grid (10^400) is counted exactly too.
 */
export function sweepSize(spec: SweepSpec): SweepSize {
  const factors: Array<[bigint, string]> = [];
  if (spec.variants.length > 0) factors.push([BigInt(spec.variants.length), 'variants']);
  for (const [path, values] of Object.entries(spec.grid)) factors.push([BigInt(values.length), `grid.${path}`]);
  if (spec.random !== undefined) factors.push([BigInt(spec.random.count), 'random samples']);
  if (spec.tpe !== undefined) factors.push([BigInt(spec.tpe.count), 'tpe suggestions']);
  const seeds = typeof spec.replicates === 'number' ? spec.replicates : spec.replicates.seeds.length;
  if (seeds !== 1) factors.push([BigInt(seeds), 'seeds']);
  return {
    runs: factors.reduce((product, [n]) => product * n, 1n),
    factors: factors.map(([n, what]) => `${n} ${what}`),
  };
}

/**
 * Refuses a sweep of more than `limit` runs (CONFIG.INVALID, with the count and how to raise
 * the limit). `limit` defaults to the file's `maxRuns`, else DEFAULT_MAX_RUNS.
 */
export function assertSweepSize(spec: SweepSpec, limit = spec.maxRuns ?? DEFAULT_MAX_RUNS): void {
  const { runs, factors } = sweepSize(spec);
  if (!Number.isFinite(limit) || runs <= BigInt(limit)) return;
  const count = formatCount(runs);
  throw new LtlabError(
    'CONFIG.INVALID',
    `Sweep '${spec.name}' expands to ${count} runs (${factors.join(' x ')}), above the limit of ${formatCount(BigInt(limit))}; nothing was expanded.`,
    {
      fix: `Vary fewer values (or use random: with a count), or raise the limit: maxRuns: ${runs <= 10n ** 15n ? runs : '<N>'} in the sweep file, or --max-runs on the command line.`,
      details: { runs: runs <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(runs) : runs.toString(), limit },
    },
  );
}

/** 1000000 as 1,000,000; beyond 10^15 in powers of ten (10^400). */
function formatCount(n: bigint): string {
  const digits = n.toString();
  if (digits.length > 15) return `about 10^${digits.length - 1}`;
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
