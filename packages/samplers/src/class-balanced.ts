import { deriveSeed, LtlabError, Rng } from '@ltlab/core';
import { z } from 'zod';
import { type ClassIndex, RandomCycle } from './class-index.js';
import type { Sampler } from './sampler.js';
import { DEFAULT_SAMPLER_SEED, samplerSeedSchema } from './sampler-seed.js';

export const classBalancedOptionsSchema = z.strictObject({
  seed: samplerSeedSchema,
  /** Indices per epoch; defaults to the dataset size. */
  numSamples: z.number().int().positive().optional(),
  /** Consecutive draws from one class before moving to the next class. */
  samplesPerClass: z.number().int().positive().default(1),
});

/**
 * Class-aware sampling (Shen et al., ECCV 2016, "Relay backpropagation"; the ClassAwareSampler of
 * Kang et al., ICLR 2020): pick a class from a shuffled cycle of the classes, then an instance from
 * that class's own shuffled cycle. Every class is drawn equally often (to within one cycle), so
 * p_j = 1 / C; instances of a class repeat only after all of them were used.
 */
export class ClassBalancedSampler implements Sampler {
  readonly name = 'class-balanced';
  readonly seed: number;
  readonly length: number;
  readonly #index: ClassIndex;
  readonly #nonEmpty: Int32Array;
  readonly #samplesPerClass: number;

  constructor(
    index: ClassIndex,
    options: { seed?: number | undefined; numSamples?: number | undefined; samplesPerClass: number },
  ) {
    this.#index = index;
    this.seed = options.seed ?? DEFAULT_SAMPLER_SEED;
    this.length = options.numSamples ?? index.size;
    this.#samplesPerClass = options.samplesPerClass;
    this.#nonEmpty = Int32Array.from(index.byClass.flatMap((members, c) => (members.length > 0 ? [c] : [])));
    if (this.#nonEmpty.length === 0) {
      throw new LtlabError('CONFIG.INVALID', 'The class-balanced sampler needs at least one labelled sample.');
    }
  }

  indices(epoch: number): Int32Array {
    const rng = new Rng(deriveSeed(this.seed, this.name, epoch));
    const classCycle = new RandomCycle(this.#nonEmpty, rng);
    const instanceCycles = this.#index.byClass.map((members) => new RandomCycle(members, rng));
    const out = new Int32Array(this.length);
    let filled = 0;
    while (filled < this.length) {
      const cycle = instanceCycles[classCycle.next()] as RandomCycle;
      for (let k = 0; k < this.#samplesPerClass && filled < this.length; k++) out[filled++] = cycle.next();
    }
    return out;
  }
}
