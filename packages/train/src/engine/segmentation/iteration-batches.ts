import { LtlabError } from '@ltlab/core';

/**
 * The batches of an iteration-based run: iteration i takes batch i mod E of data epoch
 * floor(i / E), where E is the number of full batches of an epoch (the last, smaller batch is
 * dropped), so the order and augmentation of every iteration are functions of (seed, epoch,
 * position) and a run resumed at any iteration draws what the uninterrupted one drew. One epoch
 * stream stays open across `take` calls, so consecutive periods do not rebuild prefetched batches.
 */
export class IterationBatches<T> {
  readonly #open: (epoch: number, startPosition: number) => AsyncIterator<T>;
  readonly #batchesPerEpoch: number;
  readonly #batchSize: number;
  #stream: AsyncIterator<T> | undefined;
  /** The iteration the open stream yields next. */
  #next = -1;

  constructor(
    open: (epoch: number, startPosition: number) => AsyncIterator<T>,
    options: { batchesPerEpoch: number; batchSize: number },
  ) {
    this.#open = open;
    this.#batchesPerEpoch = options.batchesPerEpoch;
    this.#batchSize = options.batchSize;
  }

  /** Iterations `from` .. `from + count - 1`, each with its batch. */
  async *take(from: number, count: number): AsyncGenerator<{ iteration: number; batch: T }> {
    const perEpoch = this.#batchesPerEpoch;
    for (let iteration = from; iteration < from + count; iteration++) {
      if (this.#stream === undefined || this.#next !== iteration || iteration % perEpoch === 0) {
        await this.#closeStream();
        const position = (iteration % perEpoch) * this.#batchSize;
        this.#stream = this.#open(Math.floor(iteration / perEpoch), position);
      }
      const { value, done } = await (this.#stream as AsyncIterator<T>).next();
      if (done === true) throw new LtlabError('INTERNAL', `The epoch stream ended before iteration ${iteration}.`);
      this.#next = iteration + 1;
      yield { iteration, batch: value };
    }
  }

  async close(): Promise<void> {
    await this.#closeStream();
  }

  async #closeStream(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    this.#next = -1;
    await stream?.return?.();
  }
}
