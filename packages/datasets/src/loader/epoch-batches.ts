import { type BatchJob, planBatches, runInOrder } from './ordered-prefetch.js';

export interface LoaderProgress {
  epoch: number;
  /** Batches delivered so far in this epoch, out of `batches`. */
  batch: number;
  batches: number;
  samples: number;
  elapsedMs: number;
  imagesPerSecond: number;
}

/** How a loader cuts and runs an epoch: the part of its options both kinds of loader share. */
export interface EpochPlan {
  batchSize: number;
  seed: number;
  dropLast: boolean;
  workers: number;
  /** Batches in flight ahead of the consumer; default twice the workers, at least 2. */
  prefetch?: number | undefined;
}

/** Number of batches of an epoch of `length` indices from `startPosition`. */
export function batchCount(
  length: number,
  startPosition: number,
  plan: Pick<EpochPlan, 'batchSize' | 'dropLast'>,
): number {
  const remaining = Math.max(0, length - startPosition);
  return plan.dropLast ? Math.floor(remaining / plan.batchSize) : Math.ceil(remaining / plan.batchSize);
}

export interface BuiltBatch<T> {
  job: BatchJob;
  /** Batch number within the epoch (counting from the start of the epoch, also when resumed). */
  index: number;
  built: T;
}

/**
 * The batches of one epoch of `order` from `startPosition`, built by `run` with prefetch, in
 * order, reporting progress after each: the loop every loader shares, whatever a batch holds.
 */
export async function* epochBatches<T>(
  order: Int32Array,
  epoch: number,
  startPosition: number,
  plan: EpochPlan,
  run: (job: BatchJob) => Promise<T>,
  onProgress: ((progress: LoaderProgress) => void) | undefined,
): AsyncGenerator<BuiltBatch<T>> {
  const { batchSize, seed, dropLast } = plan;
  const jobs = planBatches(order, { epoch, seed, batchSize, dropLast, startPosition });
  const prefetch = plan.prefetch ?? Math.max(2, 2 * plan.workers);
  const started = performance.now();
  let samples = 0;
  let k = 0;
  for await (const built of runInOrder(jobs, run, prefetch)) {
    const job = jobs[k] as BatchJob;
    samples += job.indices.length;
    const elapsedMs = performance.now() - started;
    onProgress?.({
      epoch,
      batch: k + 1,
      batches: jobs.length,
      samples,
      elapsedMs,
      imagesPerSecond: elapsedMs > 0 ? (samples * 1000) / elapsedMs : 0,
    });
    k++;
    yield { job, index: job.start / batchSize, built };
  }
}
