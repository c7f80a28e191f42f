import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import {
  erfc,
  normalCdf,
  normalMass,
  normalQuantile,
  sampleTruncatedNormal,
  truncatedNormalLogMass,
  truncatedNormalLogPdf,
} from './truncated-normal.js';

describe('the standard normal', () => {
  it('matches tabulated values of erfc and the cdf', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    // Far tail: relative accuracy, not only absolute.
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
  });

  it('inverts its cdf with the quantile function, tails included', () => {
    for (const z of [-7, -3.2, -1, -0.1, 0, 0.4, 2.5, 6]) expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, 4);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('keeps a positive mass for an interval far in a tail', () => {
    expect(normalMass(9, 10)).toBeGreaterThan(0);
    expect(normalMass(-10, -9)).toBeCloseTo(normalMass(9, 10), 30);
    expect(normalMass(-1, 1)).toBeCloseTo(0.682689492137, 6);
  });
});

describe('the truncated normal', () => {
  const d = { mu: 0.8, sigma: 0.3, low: 0, high: 1 };

  it('has a density that integrates to 1 over its range', () => {
    const steps = 20_000;
    let total = 0;
    for (let i = 0; i < steps; i++) total += Math.exp(truncatedNormalLogPdf(d, (i + 0.5) / steps)) / steps;
    expect(total).toBeCloseTo(1, 6);
  });

  it('gives integer bins masses that sum to 1', () => {
    const ints = { mu: 2, sigma: 1.5, low: -0.5, high: 6.5 };
    const masses = [0, 1, 2, 3, 4, 5, 6].map((k) => Math.exp(truncatedNormalLogMass(ints, k - 0.5, k + 0.5)));
    expect(masses.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(masses.indexOf(Math.max(...masses))).toBe(2);
  });

  it('samples inside its range with the mean of the truncated distribution', () => {
    const rng = new Rng(7);
    const draws = Array.from({ length: 20_000 }, () => sampleTruncatedNormal(d, rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1);
    // E[X] = mu + sigma (phi(a) - phi(b)) / (Phi(b) - Phi(a)), a = (low - mu) / sigma, b = (high - mu) / sigma.
    const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const [a, b] = [(d.low - d.mu) / d.sigma, (d.high - d.mu) / d.sigma];
    const mean = d.mu + (d.sigma * (phi(a) - phi(b))) / (normalCdf(b) - normalCdf(a));
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(mean, 2);
  });

  it('samples an interval entirely right of its mean', () => {
    const rng = new Rng(1);
    const far = { mu: 0, sigma: 1, low: 3, high: 4 };
    const draws = Array.from({ length: 2_000 }, () => sampleTruncatedNormal(far, rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...draws)).toBeLessThanOrEqual(4);
    // Most of the mass sits near the lower end.
    expect(draws.filter((x) => x < 3.5).length / draws.length).toBeGreaterThan(0.7);
  });
});
