import { deriveSeed, Rng } from '@ltlab/core';
import { z } from 'zod';
import type { ClassIndex } from './class-index.js';
import { drawByClassWeights } from './class-weighted.js';
import type { Sampler } from './sampler.js';
import { DEFAULT_SAMPLER_SEED, samplerSeedSchema } from './sampler-seed.js';

export const squareRootOptionsSchema = z.strictObject({
  seed: samplerSeedSchema,
  numSamples: z.number().int().positive().optional(),
  /** The exponent q of p_j ∝ n_j^q; 0.5 is square-root sampling. */
  power: z.number().min(0).max(1).default(0.5),
});

/**
 * Square-root sampling (Mahajan et al., ECCV 2018; Kang et al., ICLR 2020 eq. 1 with q = 1/2):
 * class j is drawn with probability n_j^q / sum_i n_i^q, then an instance of it.
 */
export class SquareRootSampler implements Sampler {
  readonly name = 'square-root';
  readonly seed: number;
  readonly length: number;
  readonly #index: ClassIndex;
  readonly #weights: Float64Array;

  constructor(
    index: ClassIndex,
    options: { seed?: number | undefined; numSamples?: number | undefined; power: number },
  ) {
    this.#index = index;
    this.seed = options.seed ?? DEFAULT_SAMPLER_SEED;
    this.length = options.numSamples ?? index.size;
    this.#weights = Float64Array.from(index.byClass, (members) =>
      members.length === 0 ? 0 : members.length ** options.power,
    );
  }

  indices(epoch: number): Int32Array {
    return drawByClassWeights(
      this.#index,
      this.#weights,
      this.length,
      new Rng(deriveSeed(this.seed, this.name, epoch)),
    );
  }
}
