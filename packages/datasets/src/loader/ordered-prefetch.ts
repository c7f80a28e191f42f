import { LtlabError } from '@ltlab/core';

/** One batch to build: dataset `indices` found at positions start.. of the epoch's order. */
export interface BatchJob {
  epoch: number;
  seed: number;
  start: number;
  indices: Int32Array;
}

/**
 * The batch jobs of an epoch's `order` from `startPosition` (a batch boundary, for resuming
 * mid-epoch): consecutive slices of `batchSize`, the short last one dropped on request.
 */
export function planBatches(
  order: Int32Array,
  options: { epoch: number; seed: number; batchSize: number; dropLast: boolean; startPosition: number },
): BatchJob[] {
  const { epoch, seed, batchSize, dropLast, startPosition } = options;
  if (startPosition % batchSize !== 0 || startPosition < 0 || startPosition > order.length) {
    throw new LtlabError('CONFIG.INVALID', `startPosition ${startPosition} is not a batch boundary of this epoch.`);
  }
  const remaining = Math.max(0, order.length - startPosition);
  const count = dropLast ? Math.floor(remaining / batchSize) : Math.ceil(remaining / batchSize);
  return Array.from({ length: count }, (_, k) => {
    const start = startPosition + k * batchSize;
    return { epoch, seed, start, indices: order.slice(start, Math.min(start + batchSize, order.length)) };
  });
}

/**
 * Runs `jobs` with up to `prefetch` in flight and yields their results in job order. When the
 * consumer stops early or a job fails, the work already handed out settles before this returns
 * or rethrows, so no worker is left busy and nothing hangs.
 */
export async function* runInOrder<J, R>(
  jobs: readonly J[],
  run: (job: J) => Promise<R>,
  prefetch: number,
): AsyncGenerator<R> {
  const inFlight: Array<Promise<R>> = [];
  let submitted = 0;
  const submit = () => {
    while (submitted < jobs.length && inFlight.length < prefetch) {
      const promise = run(jobs[submitted] as J);
      // Observed here so a rejection that is never awaited (early exit) is not "unhandled".
      promise.catch(() => undefined);
      inFlight.push(promise);
      submitted++;
    }
  };
  try {
    for (let k = 0; k < jobs.length; k++) {
      submit();
      const result = await (inFlight.shift() as Promise<R>);
      submit();
      yield result;
    }
  } finally {
    await Promise.allSettled(inFlight);
  }
}
