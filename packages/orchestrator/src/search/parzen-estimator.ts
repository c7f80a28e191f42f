import type { Rng } from '@ltlab/core';
import { sampleTruncatedNormal, truncatedNormalLogMass, truncatedNormalLogPdf } from './truncated-normal.js';

/**
 * One searched parameter as TPE models it: a number on its internal scale (the log for a
 * log-uniform parameter; `step` 1 for integers, whose kernels are truncated to
 * [low - 1/2, high + 1/2] and rounded), or a categorical value by index.
 */
export type SearchDimension =
  | { kind: 'numeric'; low: number; high: number; step: 0 | 1 }
  | { kind: 'categorical'; size: number };

export interface ParzenSettings {
  /** Weight of the prior kernel against an observation's weight of 1 (Optuna's prior_weight). */
  priorWeight: number;
  /**
   * One kernel per observation over all dimensions jointly (Falkner et al., BOHB, ICML 2018:
   * Scott's-rule bandwidths), instead of the original paper's per-parameter bandwidths from the
   * gaps between neighbouring observations.
   */
  multivariate: boolean;
}

type Kernels =
  | { kind: 'numeric'; low: number; high: number; step: 0 | 1; mus: number[]; sigmas: number[] }
  | { kind: 'categorical'; probs: number[][] };

/**
 * Observation weights by age, oldest first: all 1 up to 25 observations, beyond that the older
 * ones ramp down linearly from 1/n (Optuna's `default_weights`).
 */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = n - 25;
  return [
    ...Array.from({ length: ramp }, (_, i) => (ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1))),
    ...Array.from({ length: 25 }, () => 1),
  ];
}

/**
 * The Parzen estimator of TPE (Bergstra et al., NeurIPS 2011), with the refinements Optuna's
 * TPESampler uses by default: a prior kernel (mean at the middle of the range, width the range),
 * bandwidths clipped to [range / min(100, 1 + kernels), range] ("magic clip"), the endpoint
 * rule for the outermost kernels, and categorical kernels that put mass 1 on the observed value
 * plus priorWeight / kernels spread over every value. Observations come oldest first (their
 * order sets the age weights), each a vector over `dimensions` on the internal scale.
 */
export class ParzenEstimator {
  readonly #weights: number[];
  readonly #kernels: Kernels[];

  constructor(dimensions: readonly SearchDimension[], observations: readonly number[][], settings: ParzenSettings) {
    const n = observations.length;
    const weights = [...observationWeights(n), settings.priorWeight];
    const total = weights.reduce((sum, w) => sum + w, 0);
    this.#weights = weights.map((w) => w / total);
    this.#kernels = dimensions.map((dimension, d) => {
      const values = observations.map((observation) => observation[d] as number);
      if (dimension.kind === 'categorical')
        return { kind: 'categorical', probs: categoricalKernels(dimension.size, values, settings) };
      const { mus, sigmas } = numericKernels(dimension, values, dimensions.length, settings);
      return { kind: 'numeric', low: dimension.low, high: dimension.high, step: dimension.step, mus, sigmas };
    });
  }

  /** `n` points, each drawn from one kernel chosen by weight. */
  sample(rng: Rng, n: number): number[][] {
    return Array.from({ length: n }, () => {
      const k = rng.weightedIndex(this.#weights);
      return this.#kernels.map((kernels) => {
        if (kernels.kind === 'categorical') return rng.weightedIndex(kernels.probs[k] as number[]);
        const { low, high, step } = kernels;
        const x = sampleTruncatedNormal(
          {
            mu: kernels.mus[k] as number,
            sigma: kernels.sigmas[k] as number,
            low: low - step / 2,
            high: high + step / 2,
          },
          rng,
        );
        return step === 0 ? x : Math.min(Math.max(low + Math.round(x - low), low), high);
      });
    });
  }

  /** Log density (mass, for integer and categorical dimensions) of the mixture at `x`. */
  logPdf(x: readonly number[]): number {
    const terms = this.#weights.map((weight, k) => {
      let log = Math.log(weight);
      this.#kernels.forEach((kernels, d) => {
        const value = x[d] as number;
        if (kernels.kind === 'categorical') {
          log += Math.log((kernels.probs[k] as number[])[value] as number);
          return;
        }
        const { low, high, step } = kernels;
        const normal = {
          mu: kernels.mus[k] as number,
          sigma: kernels.sigmas[k] as number,
          low: low - step / 2,
          high: high + step / 2,
        };
        log +=
          step === 0 ? truncatedNormalLogPdf(normal, value) : truncatedNormalLogMass(normal, value - 0.5, value + 0.5);
      });
      return log;
    });
    return logSumExp(terms);
  }
}

function numericKernels(
  dimension: Extract<SearchDimension, { kind: 'numeric' }>,
  values: readonly number[],
  dimensions: number,
  settings: ParzenSettings,
): { mus: number[]; sigmas: number[] } {
  const { low, high, step } = dimension;
  const range = high - low + step;
  const priorMu = 0.5 * (low + high);
  let sigmas: number[];
  if (settings.multivariate) {
    const sigma = 0.2 * Math.max(values.length, 1) ** (-1 / (dimensions + 4)) * range;
    sigmas = values.map(() => sigma);
  } else {
    // Each kernel as wide as the larger gap to its neighbours (the prior's mean included).
    const withPrior = [...values, priorMu];
    const order = withPrior
      .map((_, i) => i)
      .sort((a, b) => (withPrior[a] as number) - (withPrior[b] as number) || a - b);
    const sorted = [low - step / 2, ...order.map((i) => withPrior[i] as number), high + step / 2];
    const bySorted = order.map((_, j) =>
      Math.max(
        (sorted[j + 1] as number) - (sorted[j] as number),
        (sorted[j + 2] as number) - (sorted[j + 1] as number),
      ),
    );
    if (sorted.length >= 4) {
      // The outermost kernels ignore the range's ends (Optuna's consider_endpoints=False).
      bySorted[0] = (sorted[2] as number) - (sorted[1] as number);
      bySorted[bySorted.length - 1] = (sorted.at(-2) as number) - (sorted.at(-3) as number);
    }
    const byIndex = new Array<number>(withPrior.length);
    order.forEach((i, j) => {
      byIndex[i] = bySorted[j] as number;
    });
    sigmas = byIndex.slice(0, values.length);
  }
  const minSigma = range / Math.min(100, 1 + values.length + 1);
  return {
    mus: [...values, priorMu],
    sigmas: [...sigmas.map((sigma) => Math.min(Math.max(sigma, minSigma), range)), range],
  };
}

function categoricalKernels(size: number, values: readonly number[], settings: ParzenSettings): number[][] {
  const kernels = values.length + 1;
  return [...values, -1].map((observed) => {
    const row = Array.from({ length: size }, (_, j) => settings.priorWeight / kernels + (j === observed ? 1 : 0));
    const total = row.reduce((sum, p) => sum + p, 0);
    return row.map((p) => p / total);
  });
}

function logSumExp(terms: readonly number[]): number {
  const max = Math.max(...terms);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - max), 0));
}
