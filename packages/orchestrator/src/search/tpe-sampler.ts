import { canonicalJson, deriveSeed, Rng } from '@ltlab/core';
import type { Distribution } from '../sweep/sweep-spec.js';
import { drawFromDistribution } from './draw-distribution.js';
import { ParzenEstimator, type SearchDimension } from './parzen-estimator.js';

/** TPE's knobs, with Optuna's TPESampler defaults. */
export interface TpeSettings {
  /** Suggestions are random draws until this many results are in (Optuna's n_startup_trials). */
  startup: number;
  /** Points drawn from the good results' estimator; the one with the best ratio wins (n_ei_candidates). */
  candidates: number;
  /** Weight of the prior kernel against an observation's 1. */
  priorWeight: number;
  /** One joint estimator over all parameters instead of one per parameter. */
  multivariate: boolean;
}

export const TPE_DEFAULTS: TpeSettings = { startup: 10, candidates: 24, priorWeight: 1, multivariate: false };

/** How many of n results count as good: Optuna's default gamma, min(ceil(n / 10), 25). */
export function tpeGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** A result TPE conditions on: the suggestion's index (its age), its parameters and its objective. */
export interface TpeResult {
  index: number;
  params: Readonly<Record<string, unknown>>;
  value: number;
}

export interface TpeInput {
  params: Readonly<Record<string, Distribution>>;
  /** Every result in so far; their order does not matter (they are ordered by index). */
  results: readonly TpeResult[];
  /** Which suggestion of the sweep this is (0-based): with `seed`, it seeds the draws. */
  index: number;
  seed: number;
  mode: 'max' | 'min';
  settings?: Partial<TpeSettings>;
}

export interface TpeSuggestion {
  params: Record<string, unknown>;
  /** `tpe-startup`: a random draw (too few results yet); `tpe`: chosen by the estimators. */
  algorithm: 'tpe' | 'tpe-startup';
  /** The results the suggestion was conditioned on (0 for a start-up draw). */
  conditionedOn: number;
}

/**
 * The Tree-structured Parzen Estimator (Bergstra et al., "Algorithms for Hyper-Parameter
 * Optimization", NeurIPS 2011), as Optuna's TPESampler runs it by default. The results are split
 * into the best gamma(n) ("below") and the rest; each group gets a Parzen estimator l(x), g(x);
 * `candidates` points drawn from l are scored by log l(x) - log g(x) and the best is suggested.
 * Independent estimators per parameter unless `multivariate`. Log-uniform parameters are
 * modelled in log space, integers on [min - 1/2, max + 1/2] and rounded, choices by categorical
 * kernels. Pure: the same inputs give the same suggestion; the draws come from a stream seeded
 * by (seed, index), and results are ordered by index whatever order they are given in.
 *
 * Runs still training are not considered (Optuna's default, constant_liar off): in-flight
 * suggestions differ through their own streams, and each new one sees every result so far.
 */
export function suggestTpe(input: TpeInput): TpeSuggestion {
  const settings = { ...TPE_DEFAULTS, ...input.settings };
  const paths = Object.keys(input.params).sort();
  const fixed: Record<string, unknown> = {};
  const searched: Array<{ path: string; distribution: Distribution; dimension: SearchDimension }> = [];
  for (const path of paths) {
    const distribution = input.params[path] as Distribution;
    const dimension = dimensionOf(distribution);
    if (dimension === null) fixed[path] = onlyValue(distribution);
    else searched.push({ path, distribution, dimension });
  }
  const results = input.results
    .filter((result) => Number.isFinite(result.value))
    .map((result) => ({
      index: result.index,
      value: result.value,
      x: searched.map(({ path, distribution }) => toInternal(distribution, result.params[path])),
    }))
    .filter((result): result is { index: number; value: number; x: number[] } => result.x.every((v) => v !== null))
    .sort((a, b) => a.index - b.index);

  if (results.length < settings.startup || searched.length === 0) {
    const rng = new Rng(deriveSeed(input.seed, 'sweep-tpe-startup', input.index));
    const drawn = Object.fromEntries(
      paths.map((path) => [path, drawFromDistribution(rng, input.params[path] as Distribution)]),
    );
    return { params: drawn, algorithm: 'tpe-startup', conditionedOn: 0 };
  }

  // Best first (ties: the older result), then each group back in age order for its weights.
  const sign = input.mode === 'max' ? -1 : 1;
  const ranked = [...results].sort((a, b) => sign * a.value - sign * b.value || a.index - b.index);
  const cut = tpeGamma(ranked.length);
  const below = ranked.slice(0, cut).sort((a, b) => a.index - b.index);
  const above = ranked.slice(cut).sort((a, b) => a.index - b.index);

  const rng = new Rng(deriveSeed(input.seed, 'sweep-tpe', input.index));
  const parzen = { priorWeight: settings.priorWeight, multivariate: settings.multivariate };
  const chosen = new Array<number>(searched.length);
  const groups = settings.multivariate ? [searched.map((_, d) => d)] : searched.map((_, d) => [d]);
  for (const group of groups) {
    const dimensions = group.map((d) => (searched[d] as (typeof searched)[number]).dimension);
    const project = (x: number[]) => group.map((d) => x[d] as number);
    const l = new ParzenEstimator(
      dimensions,
      below.map((r) => project(r.x)),
      parzen,
    );
    const g = new ParzenEstimator(
      dimensions,
      above.map((r) => project(r.x)),
      parzen,
    );
    let best: number[] = [];
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of l.sample(rng, settings.candidates)) {
      const score = l.logPdf(candidate) - g.logPdf(candidate);
      if (best.length === 0 || score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    group.forEach((d, j) => {
      chosen[d] = best[j] as number;
    });
  }
  const params: Record<string, unknown> = { ...fixed };
  searched.forEach(({ path, distribution }, d) => {
    params[path] = fromInternal(distribution, chosen[d] as number);
  });
  return {
    params: Object.fromEntries(paths.map((path) => [path, params[path]])),
    algorithm: 'tpe',
    conditionedOn: results.length,
  };
}

/** The model's view of a distribution; null for one with a single possible value. */
function dimensionOf(d: Distribution): SearchDimension | null {
  switch (d.distribution) {
    case 'uniform':
      return d.max > d.min ? { kind: 'numeric', low: d.min, high: d.max, step: 0 } : null;
    case 'log-uniform':
      return d.max > d.min ? { kind: 'numeric', low: Math.log(d.min), high: Math.log(d.max), step: 0 } : null;
    case 'int':
      return d.max > d.min ? { kind: 'numeric', low: d.min, high: d.max, step: 1 } : null;
    case 'choice':
      return d.values.length > 1 ? { kind: 'categorical', size: d.values.length } : null;
  }
}

function onlyValue(d: Distribution): unknown {
  return d.distribution === 'choice' ? structuredClone(d.values[0]) : d.min;
}

/** A result's value on the model's scale; null when it is not a value of the distribution. */
function toInternal(d: Distribution, value: unknown): number | null {
  if (d.distribution === 'choice') return choiceIndex(d.values, value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < d.min || value > d.max) return null;
  if (d.distribution === 'int') return Number.isInteger(value) ? value : null;
  return d.distribution === 'log-uniform' ? Math.log(value) : value;
}

function fromInternal(d: Distribution, x: number): unknown {
  switch (d.distribution) {
    case 'uniform':
      return Math.min(Math.max(x, d.min), d.max);
    case 'log-uniform':
      return Math.min(Math.max(Math.exp(x), d.min), d.max);
    case 'int':
      return Math.min(Math.max(Math.round(x), d.min), d.max);
    case 'choice':
      return structuredClone(d.values[x]);
  }
}

/**
 * Which choice a stored value is: the one equal to it, else the first it contains (a run's
 * parsed config fills defaults into an object choice, so `{ loss: paco }` is stored with more keys).
 */
export function choiceIndex(values: readonly unknown[], value: unknown): number | null {
  if (value === undefined) return null;
  const text = canonicalJson(value);
  const equal = values.findIndex((choice) => canonicalJson(choice) === text);
  if (equal !== -1) return equal;
  const within = values.findIndex((choice) => contains(value, choice));
  return within === -1 ? null : within;
}

function contains(whole: unknown, part: unknown): boolean {
  if (typeof part !== 'object' || part === null) return Object.is(whole, part);
  if (Array.isArray(part))
    return Array.isArray(whole) && whole.length === part.length && part.every((item, i) => contains(whole[i], item));
  if (typeof whole !== 'object' || whole === null || Array.isArray(whole)) return false;
  return Object.entries(part).every(([key, item]) => contains((whole as Record<string, unknown>)[key], item));
}
