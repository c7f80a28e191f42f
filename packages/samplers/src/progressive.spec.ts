import { describe, expect, it } from 'vitest';
import {
  CHI2_6DOF_P001,
  chiSquare,
  classHistogram,
  LT_COUNTS,
  longTailLabels,
} from './__fixtures__/long-tail-labels.js';
import { buildClassIndex } from './class-index.js';
import { ProgressiveSampler } from './progressive.js';

const labels = longTailLabels(LT_COUNTS);
const N = labels.length;
const C = LT_COUNTS.length;

describe('ProgressiveSampler', () => {
  const sampler = new ProgressiveSampler(buildClassIndex(labels), { seed: 4, numSamples: 20_000, totalEpochs: 10 });

  it('interpolates from instance- to class-balanced probabilities', () => {
    const start = sampler.classProbabilities(0);
    const middle = sampler.classProbabilities(5);
    const end = sampler.classProbabilities(10);
    LT_COUNTS.forEach((n, c) => {
      expect(start[c]).toBeCloseTo(n / N, 12);
      expect(end[c]).toBeCloseTo(1 / C, 12);
      expect(middle[c]).toBeCloseTo(0.5 * (n / N) + 0.5 / C, 12);
    });
    expect(Array.from(sampler.classProbabilities(25))).toEqual(Array.from(end));
  });

  it('draws with those probabilities', () => {
    for (const epoch of [0, 5, 10]) {
      const hist = classHistogram(sampler.indices(epoch), labels, C);
      expect(chiSquare(hist, sampler.classProbabilities(epoch), 20_000)).toBeLessThan(CHI2_6DOF_P001);
    }
  });
});
