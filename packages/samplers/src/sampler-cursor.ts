import { LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import type { Sampler } from './sampler.js';

/** Where a run is in its sampling: enough to continue the same order after a restart. */
export const samplerStateSchema = z.strictObject({
  sampler: z.string(),
  seed: z.number().int().min(0),
  epoch: z.number().int().min(0),
  position: z.number().int().min(0),
});

export type SamplerState = z.infer<typeof samplerStateSchema>;

export interface IndexBatch {
  epoch: number;
  /** Position of the first index in the epoch's order. */
  start: number;
  indices: Int32Array;
}

/**
 * Walks a sampler's epochs in batches and remembers (seed, epoch, position). The order itself is
 * recomputed from (seed, epoch), so the state is three numbers and resuming mid-epoch continues
 * exactly where the exported state left off.
 */
export class SamplerCursor {
  readonly #sampler: Sampler;
  #epoch: number;
  #position: number;
  #order: Int32Array | undefined;

  constructor(sampler: Sampler, start: { epoch?: number; position?: number } = {}) {
    this.#sampler = sampler;
    this.#epoch = start.epoch ?? 0;
    this.#position = start.position ?? 0;
  }

  /** A cursor continuing from an exported state; the state must belong to this sampler and seed. */
  static fromState(sampler: Sampler, state: unknown): SamplerCursor {
    const parsed = parseOrThrow(samplerStateSchema, state, 'sampler state');
    if (parsed.sampler !== sampler.name || parsed.seed !== sampler.seed) {
      throw new LtlabError(
        'CHECKPOINT.CORRUPT',
        `The sampler state is for '${parsed.sampler}' seed ${parsed.seed}, not '${sampler.name}' seed ${sampler.seed}.`,
        { fix: 'Resume with the sampler configuration the checkpoint was written with.' },
      );
    }
    if (parsed.position > sampler.length) {
      throw new LtlabError(
        'CHECKPOINT.CORRUPT',
        `Sampler position ${parsed.position} exceeds the epoch length ${sampler.length}.`,
      );
    }
    return new SamplerCursor(sampler, parsed);
  }

  get epoch(): number {
    return this.#epoch;
  }

  get position(): number {
    return this.#position;
  }

  exportState(): SamplerState {
    return { sampler: this.#sampler.name, seed: this.#sampler.seed, epoch: this.#epoch, position: this.#position };
  }

  /** The next batch of at most `batchSize` indices; a batch never spans two epochs. */
  next(batchSize: number): IndexBatch {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new LtlabError('CONFIG.INVALID', `Batch size must be a positive integer, got ${batchSize}.`);
    }
    if (this.#sampler.length === 0) throw new LtlabError('CONFIG.INVALID', 'The sampler yields no indices.');
    if (this.#position >= this.#sampler.length) {
      this.#epoch++;
      this.#position = 0;
      this.#order = undefined;
    }
    this.#order ??= this.#sampler.indices(this.#epoch);
    const start = this.#position;
    const end = Math.min(start + batchSize, this.#order.length);
    this.#position = end;
    return { epoch: this.#epoch, start, indices: this.#order.slice(start, end) };
  }
}
