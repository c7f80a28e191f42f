import { deriveSeed, Rng } from '@ltlab/core';
import { z } from 'zod';
import { shuffleInPlace } from './class-index.js';
import type { Sampler } from './sampler.js';
import { DEFAULT_SAMPLER_SEED, samplerSeedSchema } from './sampler-seed.js';

export const instanceBalancedOptionsSchema = z.strictObject({
  seed: samplerSeedSchema,
});

/**
 * Instance-balanced sampling: every image once per epoch in a random order, so class j is seen
 * with probability n_j / N (the plain shuffled loader).
 */
export class InstanceBalancedSampler implements Sampler {
  readonly name = 'instance-balanced';
  readonly seed: number;
  readonly length: number;

  constructor(size: number, options: { seed?: number | undefined }) {
    this.length = size;
    this.seed = options.seed ?? DEFAULT_SAMPLER_SEED;
  }

  indices(epoch: number): Int32Array {
    const order = Int32Array.from({ length: this.length }, (_, i) => i);
    return shuffleInPlace(order, new Rng(deriveSeed(this.seed, this.name, epoch)));
  }
}
