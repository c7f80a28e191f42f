import { describe, expect, it } from 'vitest';
import { InstanceBalancedSampler } from './instance-balanced.js';

describe('InstanceBalancedSampler', () => {
  it('visits every index exactly once per epoch', () => {
    const order = new InstanceBalancedSampler(1000, { seed: 3 }).indices(2);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // A real shuffle: far from the identity.
    expect(order.filter((v, i) => v === i).length).toBeLessThan(20);
  });
});
