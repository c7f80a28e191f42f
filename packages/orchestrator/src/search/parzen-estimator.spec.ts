import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { observationWeights, ParzenEstimator, type SearchDimension } from './parzen-estimator.js';

const univariate = { priorWeight: 1, multivariate: false };
const unit: SearchDimension = { kind: 'numeric', low: 0, high: 1, step: 0 };

describe('observationWeights', () => {
  it('weighs 24 results alike and ramps the oldest down beyond 25 (Optuna default_weights)', () => {
    expect(observationWeights(0)).toEqual([]);
    expect(observationWeights(24)).toEqual(Array.from({ length: 24 }, () => 1));
    const w = observationWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12); // the ramp's end (linspace(1/30, 1, 5))
    expect(w.slice(5)).toEqual(Array.from({ length: 25 }, () => 1));
    expect(observationWeights(26)[0]).toBeCloseTo(1 / 26, 12);
  });
});

describe('ParzenEstimator', () => {
  it('is a density: it integrates to 1 with observations and prior', () => {
    const estimator = new ParzenEstimator([unit], [[0.2], [0.25], [0.9]], univariate);
    const steps = 20_000;
    let total = 0;
    for (let i = 0; i < steps; i++) total += Math.exp(estimator.logPdf([(i + 0.5) / steps])) / steps;
    expect(total).toBeCloseTo(1, 4);
  });

  it('puts its density where the observations are', () => {
    const estimator = new ParzenEstimator([unit], [[0.2], [0.22], [0.25]], univariate);
    expect(estimator.logPdf([0.22])).toBeGreaterThan(estimator.logPdf([0.8]) + 1);
    const draws = estimator.sample(new Rng(3), 2_000).map(([x]) => x as number);
    expect(draws.every((x) => x >= 0 && x <= 1)).toBe(true);
    // Three of four kernels sit near 0.2: most draws land there.
    expect(draws.filter((x) => x < 0.4).length / draws.length).toBeGreaterThan(0.6);
  });

  it('models integers as masses on the rounded values', () => {
    const ints: SearchDimension = { kind: 'numeric', low: 1, high: 8, step: 1 };
    const estimator = new ParzenEstimator([ints], [[2], [2], [3]], univariate);
    const masses = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => Math.exp(estimator.logPdf([k])));
    expect(masses.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(masses.indexOf(Math.max(...masses))).toBe(1);
    const draws = estimator.sample(new Rng(5), 500).map(([x]) => x as number);
    expect(draws.every((x) => Number.isInteger(x) && x >= 1 && x <= 8)).toBe(true);
  });

  it('mixes categorical kernels with a uniform prior', () => {
    const choice: SearchDimension = { kind: 'categorical', size: 3 };
    const estimator = new ParzenEstimator([choice], [[1], [1]], univariate);
    const p = [0, 1, 2].map((k) => Math.exp(estimator.logPdf([k])));
    // Kernels: two rows of (1/3, 1 + 1/3, 1/3) / 2, one uniform row; weights 1/3 each.
    expect(p[1]).toBeCloseTo((2 * (4 / 3 / 2) + 1 / 3) / 3, 12);
    expect(p[0]).toBeCloseTo(p[2] as number, 12);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('scores points jointly when multivariate', () => {
    const dims: SearchDimension[] = [unit, unit];
    const observations = [
      [0.1, 0.9],
      [0.9, 0.1],
    ];
    const joint = new ParzenEstimator(dims, observations, { priorWeight: 1, multivariate: true });
    const separate = [0, 1].map(
      (d) =>
        new ParzenEstimator(
          [unit],
          observations.map((o) => [o[d] as number]),
          univariate,
        ),
    );
    const independent = (x: number[]) =>
      (separate[0] as ParzenEstimator).logPdf([x[0] as number]) +
      (separate[1] as ParzenEstimator).logPdf([x[1] as number]);
    // (0.1, 0.1) was never observed together: the joint model ranks it below the observed pair,
    // the product of marginals cannot tell them apart.
    expect(joint.logPdf([0.1, 0.9])).toBeGreaterThan(joint.logPdf([0.1, 0.1]) + 0.5);
    expect(independent([0.1, 0.9])).toBeCloseTo(independent([0.1, 0.1]), 6);
  });
});
