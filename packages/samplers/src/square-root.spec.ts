import { describe, expect, it } from 'vitest';
import {
  CHI2_6DOF_P001,
  chiSquare,
  classHistogram,
  LT_COUNTS,
  longTailLabels,
} from './__fixtures__/long-tail-labels.js';
import { buildClassIndex } from './class-index.js';
import { SquareRootSampler } from './square-root.js';

describe('SquareRootSampler', () => {
  it('draws class j with probability sqrt(n_j) / sum sqrt(n_i)', () => {
    const labels = longTailLabels(LT_COUNTS);
    const sampler = new SquareRootSampler(buildClassIndex(labels), { seed: 2, numSamples: 20_000, power: 0.5 });
    const roots = LT_COUNTS.map((n) => Math.sqrt(n));
    const total = roots.reduce((a, b) => a + b, 0);
    const hist = classHistogram(sampler.indices(0), labels, LT_COUNTS.length);
    expect(
      chiSquare(
        hist,
        roots.map((r) => r / total),
        20_000,
      ),
    ).toBeLessThan(CHI2_6DOF_P001);
    // And it is clearly not instance-balanced: the rarest class is drawn ~25x more often.
    expect(hist[6]).toBeGreaterThan(200);
  });
});
