import { LtlabError } from '@ltlab/core';
import type { Sampler } from './sampler.js';

/**
 * One data-parallel worker's share of a sampler's epoch (as torch's DistributedSampler): the order
 * is padded by wrapping around to a multiple of `worldSize`, and rank r takes positions
 * r, r + worldSize, ... Every rank gets the same number of indices, and together they cover the
 * whole epoch. All ranks must use the same seed.
 */
export class ShardedSampler implements Sampler {
  readonly name: string;
  readonly seed: number;
  readonly length: number;
  readonly rank: number;
  readonly worldSize: number;
  readonly #inner: Sampler;

  constructor(inner: Sampler, shard: { rank: number; worldSize: number }) {
    const { rank, worldSize } = shard;
    if (!Number.isInteger(worldSize) || worldSize < 1 || !Number.isInteger(rank) || rank < 0 || rank >= worldSize) {
      throw new LtlabError('CONFIG.INVALID', `Shard rank ${rank} of world size ${worldSize} is invalid.`, {
        fix: 'Use an integer world size >= 1 and a rank in [0, worldSize).',
      });
    }
    if (inner.length === 0) throw new LtlabError('CONFIG.INVALID', 'Cannot shard an empty sampler.');
    this.#inner = inner;
    this.name = inner.name;
    this.seed = inner.seed;
    this.rank = rank;
    this.worldSize = worldSize;
    this.length = Math.ceil(inner.length / worldSize);
  }

  indices(epoch: number): Int32Array {
    const full = this.#inner.indices(epoch);
    const out = new Int32Array(this.length);
    for (let k = 0; k < this.length; k++) out[k] = full[(this.rank + k * this.worldSize) % full.length] as number;
    return out;
  }
}
