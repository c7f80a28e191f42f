/**
 * The MoCo/PaCo memory queue (docs/methods.md §8.2): K key embeddings of width d, their labels and a
 * write pointer. Each step's keys overwrite the oldest rows, `queue[ptr : ptr + B] = keys`, and
 * `ptr = (ptr + B) mod K`. The original asserts K mod B == 0; here a batch that crosses the end
 * wraps around to row 0, which is the same thing whenever K mod B == 0.
 *
 * Initialisation:
 * - `original` reproduces PaCo's quirk: N(0, 1) entries normalised along **axis 0** (each of the
 *   d columns has unit norm over the K rows, so rows have norm about sqrt(d / K)), and labels
 *   uniform in [0, C): fake entries until K keys have been written.
 * - `unit-rows`: N(0, 1) rows normalised to unit length (what the MoCo code intended), labels
 *   uniform in [0, C).
 */
import { LtlabError, parseOrThrow, Rng } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { validateWeightMap, type WeightEntry } from './weight-map.js';

export const featureQueueOptionsSchema = z.object({
  /** K (PaCo: 8192; CIFAR: 1024). */
  size: z.number().int().positive(),
  /** d, the embedding width (PaCo: 128; CIFAR: 32). */
  dim: z.number().int().positive(),
  numClasses: z.number().int().positive(),
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
  init: z.enum(['original', 'unit-rows']).default('original'),
});

export type FeatureQueueOptions = z.input<typeof featureQueueOptionsSchema>;

/** What a checkpoint stores for the queue. */
export interface FeatureQueueState {
  features: WeightEntry;
  labels: WeightEntry;
  pointer: number;
}

export class FeatureQueue {
  readonly size: number;
  readonly dim: number;
  readonly numClasses: number;
  readonly #features: tf.Variable<tf.Rank.R2>;
  readonly #labels: tf.Variable<tf.Rank.R1>;
  #pointer = 0;

  private constructor(size: number, dim: number, numClasses: number, features: Float32Array, labels: Int32Array) {
    this.size = size;
    this.dim = dim;
    this.numClasses = numClasses;
    // tf.variable copies its initial value, so the initial tensors are freed right away.
    this.#features = tf.tidy(() => tf.variable(tf.tensor2d(features, [size, dim]), false));
    this.#labels = tf.tidy(() => tf.variable(tf.tensor1d(labels, 'int32'), false));
  }

  static create(options: FeatureQueueOptions): FeatureQueue {
    const { size, dim, numClasses, seed, init } = parseOrThrow(
      featureQueueOptionsSchema,
      options,
      'feature queue options',
    );
    const rng = new Rng(seed);
    const features = new Float32Array(size * dim);
    for (let i = 0; i < features.length; i++) features[i] = rng.normal();
    if (init === 'original') normalizeColumns(features, size, dim);
    else normalizeRows(features, size, dim);
    const labels = new Int32Array(size);
    for (let i = 0; i < size; i++) labels[i] = rng.int(0, numClasses);
    return new FeatureQueue(size, dim, numClasses, features, labels);
  }

  /** Index of the next row to be written. */
  get pointer(): number {
    return this.#pointer;
  }

  /**
   * Copies of the current contents (`[K, d]` float32, `[K]` int32) that later enqueues do not
   * change: take it before the step's enqueue, as PaCo does. The caller disposes them.
   */
  snapshot(): { features: tf.Tensor2D; labels: tf.Tensor1D } {
    return { features: tf.clone(this.#features), labels: tf.clone(this.#labels) };
  }

  /** Writes `keys` (`[B, d]`) and `labels` (`[B]`, int32) at the pointer and advances it. */
  enqueue(keys: tf.Tensor2D, labels: tf.Tensor1D): void {
    const batch = keys.shape[0];
    if (keys.rank !== 2 || keys.shape[1] !== this.dim || labels.rank !== 1 || labels.shape[0] !== batch) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Enqueue needs keys [B, ${this.dim}] and labels [B]; got [${keys.shape.join(', ')}] and [${labels.shape.join(', ')}].`,
      );
    }
    if (batch > this.size) {
      throw new LtlabError('CONFIG.INVALID', `A batch of ${batch} keys does not fit a queue of ${this.size}.`, {
        fix: 'Use a queue at least as long as the batch (PaCo: K a multiple of the total batch).',
      });
    }
    const ptr = this.#pointer;
    tf.tidy(() => {
      this.#features.assign(writeRows(this.#features, tf.cast(keys, 'float32'), ptr));
      this.#labels.assign(writeRows(this.#labels, tf.cast(labels, 'int32'), ptr));
    });
    this.#pointer = (ptr + batch) % this.size;
  }

  /** Copies of the contents, read with `data()`: a GPU backend (webgpu in Node) cannot read synchronously. */
  async exportState(): Promise<FeatureQueueState> {
    const pointer = this.#pointer;
    const [features, labels] = await Promise.all([this.#features.data(), this.#labels.data()]);
    return {
      features: { shape: [this.size, this.dim], dtype: 'float32', values: (features as Float32Array).slice() },
      labels: { shape: [this.size], dtype: 'int32', values: (labels as Int32Array).slice() },
      pointer,
    };
  }

  loadState(state: FeatureQueueState): void {
    const valid = validateWeightMap(
      [
        { name: 'features', shape: [this.size, this.dim], dtype: 'float32' },
        { name: 'labels', shape: [this.size], dtype: 'int32' },
      ],
      { features: state.features, labels: state.labels },
      `feature queue (${this.size} x ${this.dim})`,
    );
    const pointer = state.pointer;
    if (!Number.isInteger(pointer) || pointer < 0 || pointer >= this.size) {
      throw new LtlabError('CHECKPOINT.CORRUPT', `Queue pointer ${pointer} is outside [0, ${this.size}).`, {
        fix: 'The checkpoint is damaged: resume from an earlier one.',
      });
    }
    const features = valid.features as WeightEntry;
    const labels = valid.labels as WeightEntry;
    tf.tidy(() => {
      this.#features.assign(tf.tensor2d(features.values.slice(), [this.size, this.dim], 'float32'));
      this.#labels.assign(tf.tensor1d(labels.values.slice(), 'int32'));
    });
    this.#pointer = pointer;
  }

  dispose(): void {
    this.#features.dispose();
    this.#labels.dispose();
  }
}

/** `target` with rows ptr, ptr+1, ... (mod K) replaced by `rows`. */
function writeRows<T extends tf.Tensor>(target: T, rows: T, ptr: number): T {
  const k = target.shape[0] as number;
  const b = rows.shape[0] as number;
  const head = Math.min(b, k - ptr); // rows that fit before the end
  const pieces: tf.Tensor[] = [];
  if (head < b) pieces.push(sliceRows(rows, head, b - head)); // wrapped part lands at row 0
  const keepFrom = head < b ? b - head : 0;
  if (ptr > keepFrom) pieces.push(sliceRows(target, keepFrom, ptr - keepFrom));
  pieces.push(sliceRows(rows, 0, head));
  if (ptr + head < k) pieces.push(sliceRows(target, ptr + head, k - ptr - head));
  return tf.concat(pieces, 0) as T;
}

function sliceRows(x: tf.Tensor, start: number, count: number): tf.Tensor {
  const begin = x.shape.map((_, i) => (i === 0 ? start : 0));
  const size = x.shape.map((dim, i) => (i === 0 ? count : dim));
  return tf.slice(x, begin, size);
}

function normalizeColumns(values: Float32Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += (values[r * cols + c] as number) ** 2;
    const scale = 1 / Math.max(Math.sqrt(sum), 1e-12);
    for (let r = 0; r < rows; r++) values[r * cols + c] = (values[r * cols + c] as number) * scale;
  }
}

function normalizeRows(values: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += (values[r * cols + c] as number) ** 2;
    const scale = 1 / Math.max(Math.sqrt(sum), 1e-12);
    for (let c = 0; c < cols; c++) values[r * cols + c] = (values[r * cols + c] as number) * scale;
  }
}
