import { describe, expect, it } from 'vitest';
import {
  CHI2_6DOF_P001,
  chiSquare,
  classHistogram,
  LT_COUNTS,
  longTailLabels,
} from './__fixtures__/long-tail-labels.js';
import { ClassBalancedSampler } from './class-balanced.js';
import { buildClassIndex } from './class-index.js';

const labels = longTailLabels(LT_COUNTS);
const C = LT_COUNTS.length;

describe('ClassBalancedSampler', () => {
  it('draws classes uniformly although the labels are long-tailed', () => {
    const sampler = new ClassBalancedSampler(buildClassIndex(labels), {
      seed: 0,
      numSamples: 14_000,
      samplesPerClass: 1,
    });
    for (const epoch of [0, 1, 2]) {
      const hist = classHistogram(sampler.indices(epoch), labels, C);
      expect(chiSquare(hist, new Array(C).fill(1 / C), 14_000)).toBeLessThan(CHI2_6DOF_P001);
    }
  });

  it('uses every instance of a class before repeating one', () => {
    const sampler = new ClassBalancedSampler(buildClassIndex(labels), {
      seed: 5,
      numSamples: 7 * 30,
      samplesPerClass: 1,
    });
    const order = sampler.indices(0);
    const rarest = Array.from(order).filter((i) => labels[i] === C - 1);
    expect(rarest.length).toBe(30);
    const perInstance = new Map<number, number>();
    for (const i of rarest) perInstance.set(i, (perInstance.get(i) ?? 0) + 1);
    expect([...perInstance.values()]).toEqual([10, 10, 10]);
  });

  it('skips classes without samples', () => {
    const index = buildClassIndex([0, 0, 2, 2], 4);
    const order = new ClassBalancedSampler(index, { seed: 1, numSamples: 40, samplesPerClass: 2 }).indices(0);
    expect(order.length).toBe(40);
    expect(Array.from(order).every((i) => i < 4)).toBe(true);
  });
});
