import { parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import type { DatasetSource } from '../sources/source.js';
import { compileViews, type Pipeline } from '../transforms/pipeline.js';
import { type BuiltViews, buildBatch } from './batch-builder.js';
import { batchCount, epochBatches, type LoaderProgress } from './epoch-batches.js';
import type { BatchJob } from './ordered-prefetch.js';
import { WorkerPool } from './worker-pool.js';

/**
 * What the loader needs from a sampler: the epoch's order of dataset indices. Samplers of
 * `@ltlab/samplers` fit it structurally (datasets and samplers are peers and do not import each
 * other).
 */
export interface IndexOrder {
  indices(epoch: number): Int32Array;
}

export interface Batch {
  epoch: number;
  /** Batch number within the epoch (counting from the start of the epoch, also when resumed). */
  index: number;
  /** Position of the first sample in the epoch's order. */
  start: number;
  indices: Int32Array;
  labels: Int32Array;
  /** One float32 NHWC array per view (one view unless the transform has `views`). */
  views: Float32Array[];
  shape: [number, number, number, number];
}

export type { LoaderProgress } from './epoch-batches.js';

export const loaderOptionsSchema = z.strictObject({
  batchSize: z.number().int().positive(),
  /** Seed of the per-sample augmentation streams. */
  seed: z.number().int().min(0).default(0),
  /** Worker threads that decode and augment; 0 builds batches on the calling thread. */
  workers: z.number().int().min(0).default(2),
  /** Batches in flight ahead of the consumer. */
  prefetch: z.number().int().positive().optional(),
  /** Drop the last batch of an epoch when it is smaller than batchSize. */
  dropLast: z.boolean().default(false),
});

export type LoaderOptions = z.input<typeof loaderOptionsSchema> & {
  sampler: IndexOrder;
  /** A pipeline spec or `{ views: [...] }` (data; see compileViews). */
  transform: unknown;
  onProgress?: (progress: LoaderProgress) => void;
};

/**
 * Batches of a source in the order a sampler gives, augmented on worker threads while the
 * consumer trains on earlier batches. Batches arrive in order; a failing image (corrupt file)
 * rejects the epoch with its DATA.* error naming the file and index, after the in-flight work
 * has settled, so nothing hangs.
 */
export class BatchLoader {
  readonly #source: DatasetSource;
  readonly #sampler: IndexOrder;
  readonly #transform: unknown;
  readonly #pipelines: Pipeline[];
  readonly #options: z.output<typeof loaderOptionsSchema>;
  readonly #onProgress: ((progress: LoaderProgress) => void) | undefined;
  #pool: Promise<WorkerPool<BuiltViews>> | undefined;

  constructor(source: DatasetSource, options: LoaderOptions) {
    const { sampler, transform, onProgress, ...rest } = options;
    this.#options = parseOrThrow(loaderOptionsSchema, rest, 'loader options');
    this.#source = source;
    this.#sampler = sampler;
    this.#transform = transform;
    // Compiled here too, so a bad spec fails at construction rather than inside a worker.
    this.#pipelines = compileViews(transform);
    this.#onProgress = onProgress;
  }

  /** Number of batches of an epoch of `length` indices from `startPosition`. */
  batchCount(length: number, startPosition = 0): number {
    return batchCount(length, startPosition, this.#options);
  }

  /** The batches of `epoch`, from `startPosition` of its order when resuming mid-epoch. */
  async *epoch(epoch: number, options: { startPosition?: number } = {}): AsyncGenerator<Batch> {
    const order = this.#sampler.indices(epoch);
    const run = await this.#runner();
    const batches = epochBatches(order, epoch, options.startPosition ?? 0, this.#options, run, this.#onProgress);
    for await (const { job, index, built } of batches) {
      yield {
        epoch,
        index,
        start: job.start,
        indices: job.indices,
        labels: Int32Array.from(job.indices, (i) => this.#source.labels[i] as number),
        views: built.views,
        shape: built.shape,
      };
    }
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool !== undefined) await (await pool).close();
  }

  async #runner(): Promise<(job: BatchJob) => Promise<BuiltViews>> {
    const ref = this.#source.imageRef;
    if (this.#options.workers === 0) return (job) => buildBatch(ref, this.#pipelines, job);
    this.#pool ??= WorkerPool.create<BuiltViews>(this.#options.workers, {
      task: 'classification',
      ref,
      transform: this.#transform,
    });
    const pool = await this.#pool;
    return (job) => pool.run(job);
  }
}
