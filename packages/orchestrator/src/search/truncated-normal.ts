import type { Rng } from '@ltlab/core';

/**
 * The normal distribution truncated to [low, high], as the kernels of TPE's Parzen estimators
 * use it (Bergstra et al., "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011): its log
 * density, the log of its mass on an interval (for integer parameters) and a sampler. Written
 * with the standard normal's tails in mind: masses far from the mean are computed from the near
 * tail, so their logs stay finite where `1 - cdf` would round to 0.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * erfc with a fractional error below 1.2e-7 everywhere (the Chebyshev fit of Press et al.,
 * Numerical Recipes in C, 2nd ed., §6.2), so tail probabilities keep their relative accuracy.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const coefficients = [
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223,
    0.17087277,
  ];
  let poly = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) poly = (coefficients[i] as number) + t * poly;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** The standard normal's cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * P(z1 < Z < z2) for a standard normal Z and z1 <= z2, taken from the tail nearer to the
 * interval so that a far interval still gets a (tiny) positive mass.
 */
export function normalMass(z1: number, z2: number): number {
  if (z1 >= 0) return Math.max(0, 0.5 * (erfc(z1 / Math.SQRT2) - erfc(z2 / Math.SQRT2)));
  if (z2 <= 0) return Math.max(0, 0.5 * (erfc(-z2 / Math.SQRT2) - erfc(-z1 / Math.SQRT2)));
  return Math.max(0, 1 - normalCdf(z1) - (1 - normalCdf(z2)));
}

/**
 * The standard normal's quantile function (Acklam's rational approximation, relative error
 * below 1.2e-9), for p in (0, 1).
 */
export function normalQuantile(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ] as const;
  const [b0, b1, b2, b3, b4] = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ] as const;
  const [c0, c1, c2, c3, c4, c5] = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ] as const;
  const [d0, d1, d2, d3] = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

export interface TruncatedNormal {
  mu: number;
  sigma: number;
  low: number;
  high: number;
}

/** Log density at x in [low, high]. */
export function truncatedNormalLogPdf(d: TruncatedNormal, x: number): number {
  const z = (x - d.mu) / d.sigma;
  const mass = normalMass((d.low - d.mu) / d.sigma, (d.high - d.mu) / d.sigma);
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(d.sigma) - Math.log(mass);
}

/** Log of the distribution's mass on [from, to] (within [low, high]). */
export function truncatedNormalLogMass(d: TruncatedNormal, from: number, to: number): number {
  const mass = normalMass((Math.max(from, d.low) - d.mu) / d.sigma, (Math.min(to, d.high) - d.mu) / d.sigma);
  const total = normalMass((d.low - d.mu) / d.sigma, (d.high - d.mu) / d.sigma);
  return Math.log(mass) - Math.log(total);
}

/** One draw by inverting the cdf; an interval right of the mean is mirrored to invert on the accurate side. */
export function sampleTruncatedNormal(d: TruncatedNormal, rng: Rng): number {
  const a = (d.low - d.mu) / d.sigma;
  const b = (d.high - d.mu) / d.sigma;
  const mirrored = a > 0;
  const [lo, hi] = mirrored ? [-b, -a] : [a, b];
  const pLo = normalCdf(lo);
  const pHi = normalCdf(hi);
  // uniform() is in [0, 1): nudge off the ends so the quantile stays finite.
  const p = Math.min(Math.max(pLo + (pHi - pLo) * rng.uniform(), Number.MIN_VALUE), 1 - Number.EPSILON);
  const z = normalQuantile(p);
  const x = d.mu + d.sigma * (mirrored ? -z : z);
  return Math.min(Math.max(x, d.low), d.high);
}
