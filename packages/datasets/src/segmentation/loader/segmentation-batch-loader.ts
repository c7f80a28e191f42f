import { parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import type { IndexOrder } from '../../loader/batch-loader.js';
import { batchCount, epochBatches, type LoaderProgress } from '../../loader/epoch-batches.js';
import type { BatchJob } from '../../loader/ordered-prefetch.js';
import { WorkerPool } from '../../loader/worker-pool.js';
import type { SegmentationSource } from '../sources/segmentation-source.js';
import { compileSegmentationPipeline, type SegmentationPipeline } from '../transforms/segmentation-pipeline.js';
import { buildSegmentationBatch, type SegmentationBatchData } from './segmentation-batch-builder.js';

export interface SegmentationBatch extends SegmentationBatchData {
  epoch: number;
  /** Batch number within the epoch (counting from the start of the epoch, also when resumed). */
  index: number;
  /** Position of the first sample in the epoch's order. */
  start: number;
  indices: Int32Array;
}

export const segmentationLoaderOptionsSchema = z.strictObject({
  batchSize: z.number().int().positive(),
  /** Seed of the per-sample augmentation streams. */
  seed: z.number().int().min(0).default(0),
  /** Worker threads that decode and augment; 0 builds batches on the calling thread. */
  workers: z.number().int().min(0).default(2),
  /** Batches in flight ahead of the consumer. */
  prefetch: z.number().int().positive().optional(),
  /** Drop the last batch of an epoch when it is smaller than batchSize. */
  dropLast: z.boolean().default(false),
  /** Give the stored label maps instead of the transformed ones (evaluation at the original size). */
  originalLabels: z.boolean().default(false),
});

export type SegmentationLoaderOptions = z.input<typeof segmentationLoaderOptionsSchema> & {
  sampler: IndexOrder;
  /** A segmentation pipeline spec (data; see compileSegmentationPipeline). */
  transform: unknown;
  onProgress?: (progress: LoaderProgress) => void;
};

/**
 * Batches of (image, label map) pairs in the order a sampler gives, decoded and augmented on
 * worker threads while the consumer trains: the segmentation twin of BatchLoader, with the same
 * guarantees (in order, identical inline and threaded, resumable mid-epoch, a corrupt file
 * rejects the epoch naming it without hanging).
 */
export class SegmentationBatchLoader {
  readonly #source: SegmentationSource;
  readonly #sampler: IndexOrder;
  readonly #transform: unknown;
  readonly #pipeline: SegmentationPipeline;
  readonly #options: z.output<typeof segmentationLoaderOptionsSchema>;
  readonly #onProgress: ((progress: LoaderProgress) => void) | undefined;
  #pool: Promise<WorkerPool<SegmentationBatchData>> | undefined;

  constructor(source: SegmentationSource, options: SegmentationLoaderOptions) {
    const { sampler, transform, onProgress, ...rest } = options;
    this.#options = parseOrThrow(segmentationLoaderOptionsSchema, rest, 'segmentation loader options');
    this.#source = source;
    this.#sampler = sampler;
    this.#transform = transform;
    // Compiled here too, so a bad spec fails at construction rather than inside a worker.
    this.#pipeline = compileSegmentationPipeline(transform);
    this.#onProgress = onProgress;
  }

  /** Number of batches of an epoch of `length` indices from `startPosition`. */
  batchCount(length: number, startPosition = 0): number {
    return batchCount(length, startPosition, this.#options);
  }

  /** The batches of `epoch`, from `startPosition` of its order when resuming mid-epoch. */
  async *epoch(epoch: number, options: { startPosition?: number } = {}): AsyncGenerator<SegmentationBatch> {
    const order = this.#sampler.indices(epoch);
    const run = await this.#runner();
    const batches = epochBatches(order, epoch, options.startPosition ?? 0, this.#options, run, this.#onProgress);
    for await (const { job, index, built } of batches) {
      yield { epoch, index, start: job.start, indices: job.indices, ...built };
    }
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool !== undefined) await (await pool).close();
  }

  async #runner(): Promise<(job: BatchJob) => Promise<SegmentationBatchData>> {
    const ref = this.#source.ref;
    const { originalLabels, workers } = this.#options;
    if (workers === 0) return (job) => buildSegmentationBatch(ref, this.#pipeline, job, { originalLabels });
    this.#pool ??= WorkerPool.create<SegmentationBatchData>(workers, {
      task: 'segmentation',
      ref,
      transform: this.#transform,
      originalLabels,
    });
    const pool = await this.#pool;
    return (job) => pool.run(job);
  }
}
