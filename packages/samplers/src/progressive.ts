import { deriveSeed, Rng } from '@ltlab/core';
import { z } from 'zod';
import type { ClassIndex } from './class-index.js';
import { drawByClassWeights } from './class-weighted.js';
import type { Sampler } from './sampler.js';
import { DEFAULT_SAMPLER_SEED, samplerSeedSchema } from './sampler-seed.js';

export const progressiveOptionsSchema = z.strictObject({
  seed: samplerSeedSchema,
  numSamples: z.number().int().positive().optional(),
  /** T: the epoch at which sampling becomes fully class-balanced. */
  totalEpochs: z.number().int().positive(),
});

/**
 * Progressively-balanced sampling (Kang et al., ICLR 2020, Decoupling, eq. 2):
 * p_j(t) = (1 - t/T) * n_j / N + (t/T) * 1/C, moving from instance- to class-balanced as the
 * epoch t goes from 0 to T (held at class-balanced after T).
 */
export class ProgressiveSampler implements Sampler {
  readonly name = 'progressive';
  readonly seed: number;
  readonly length: number;
  readonly totalEpochs: number;
  readonly #index: ClassIndex;

  constructor(
    index: ClassIndex,
    options: { seed?: number | undefined; numSamples?: number | undefined; totalEpochs: number },
  ) {
    this.#index = index;
    this.seed = options.seed ?? DEFAULT_SAMPLER_SEED;
    this.length = options.numSamples ?? index.size;
    this.totalEpochs = options.totalEpochs;
  }

  /** The class probabilities p_j(t) at `epoch`. */
  classProbabilities(epoch: number): Float64Array {
    const t = Math.min(1, Math.max(0, epoch / this.totalEpochs));
    const present = this.#index.byClass.filter((members) => members.length > 0).length;
    return Float64Array.from(this.#index.byClass, (members) =>
      members.length === 0 ? 0 : (1 - t) * (members.length / this.#index.size) + t / present,
    );
  }

  indices(epoch: number): Int32Array {
    const rng = new Rng(deriveSeed(this.seed, this.name, epoch));
    return drawByClassWeights(this.#index, this.classProbabilities(epoch), this.length, rng);
  }
}
