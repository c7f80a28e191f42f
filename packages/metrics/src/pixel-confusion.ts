import { LtlabError } from '@ltlab/core';
import {
  type AsyncPixelTensor,
  checkSamePixels,
  type PixelMap,
  type ReadPixelMap,
  readPixelMap,
  readPixelMapAsync,
} from './pixel-maps.js';

/** The label value of pixels that count nowhere (mmseg's `ignore_index`, ltlab's segmentation data). */
export const SEGMENTATION_IGNORE_INDEX = 255;

export interface PixelConfusionOptions {
  numClasses: number;
  /** Label value skipped by every metric. @defaultValue 255 */
  ignoreIndex?: number;
}

/** What `add` is told about the maps, for the error message ("val image ADE_val_00000012"). */
export interface PixelBatchContext {
  what?: string;
}

/**
 * Pixel confusion matrix accumulated over batches (the `intersect_and_union` totals of mmseg's
 * `mean_iou`, kept as the full matrix): rows are the label, columns the prediction, row-major
 * `C x C`. Pixels whose label is the ignore index are counted in `ignoredPixels` and nowhere else.
 * Counts are float64, exact to 2^53: a 2000-image validation set at 512 x 2048 already holds more
 * than 2^31 pixels.
 */
export class PixelConfusion {
  readonly numClasses: number;
  readonly ignoreIndex: number;
  readonly counts: Float64Array;
  private ignored = 0;

  constructor(options: PixelConfusionOptions) {
    const { numClasses, ignoreIndex = SEGMENTATION_IGNORE_INDEX } = options;
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `PixelConfusion numClasses must be a positive integer, got ${numClasses}.`,
      );
    }
    if (!Number.isInteger(ignoreIndex) || (ignoreIndex >= 0 && ignoreIndex < numClasses)) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `PixelConfusion ignoreIndex ${ignoreIndex} is a class id of a ${numClasses}-class problem.`,
        { fix: 'Use an ignore index outside 0..numClasses-1 (255 unless the dataset says otherwise).' },
      );
    }
    this.numClasses = numClasses;
    this.ignoreIndex = ignoreIndex;
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Pixels skipped because their label is the ignore index. */
  get ignoredPixels(): number {
    return this.ignored;
  }

  /** Pixels counted in the matrix (labelled with a class). */
  get countedPixels(): number {
    let total = 0;
    for (let i = 0; i < this.counts.length; i++) total += this.counts[i] as number;
    return total;
  }

  /** The number of pixels with label `label` predicted as `prediction`. */
  count(label: number, prediction: number): number {
    return this.counts[label * this.numClasses + prediction] ?? 0;
  }

  /**
   * Adds one batch of prediction and label maps (any shape, flattened alike; typed arrays, plain
   * arrays or tensors read with `dataSync`). Checks everything before counting, so a bad batch
   * leaves the matrix unchanged.
   */
  add(predictions: PixelMap, labels: PixelMap, context: PixelBatchContext = {}): this {
    return this.addRead(readPixelMap(predictions), readPixelMap(labels), context);
  }

  /** `add` for tensors read with `data()`, as a GPU backend needs. */
  async addAsync(
    predictions: PixelMap | AsyncPixelTensor,
    labels: PixelMap | AsyncPixelTensor,
    context: PixelBatchContext = {},
  ): Promise<this> {
    const [p, l] = await Promise.all([readPixelMapAsync(predictions), readPixelMapAsync(labels)]);
    return this.addRead(p, l, context);
  }

  /** Adds another accumulator's counts (the same classes and ignore index), e.g. from another worker. */
  merge(other: PixelConfusion): this {
    if (other.numClasses !== this.numClasses || other.ignoreIndex !== this.ignoreIndex) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Cannot merge a ${other.numClasses}-class confusion (ignore ${other.ignoreIndex}) into a ${this.numClasses}-class one (ignore ${this.ignoreIndex}).`,
      );
    }
    for (let i = 0; i < this.counts.length; i++)
      this.counts[i] = (this.counts[i] as number) + (other.counts[i] as number);
    this.ignored += other.ignored;
    return this;
  }

  private addRead(predictions: ReadPixelMap, labels: ReadPixelMap, context: PixelBatchContext): this {
    const what = context.what ?? 'PixelConfusion.add';
    checkSamePixels(predictions, labels, what);
    const p = predictions.values;
    const y = labels.values;
    const { numClasses, ignoreIndex } = this;
    for (let i = 0; i < y.length; i++) {
      const label = y[i] as number;
      if (label !== ignoreIndex && !(Number.isInteger(label) && label >= 0 && label < numClasses)) {
        throw new LtlabError(
          'DATA.CORRUPT',
          `${what}: label ${label} at pixel ${i} is neither a class id in 0..${numClasses - 1} nor the ignore index ${ignoreIndex}.`,
          {
            fix: 'Check the number of classes and the label mapping (reduce-zero-label, *_labelTrainIds) of the dataset.',
            details: {
              pixel: i,
              label,
              numClasses,
              ignoreIndex,
              ...(context.what === undefined ? {} : { source: what }),
            },
          },
        );
      }
      const prediction = p[i] as number;
      if (!(Number.isInteger(prediction) && prediction >= 0 && prediction < numClasses)) {
        throw new LtlabError(
          'CONFIG.INVALID',
          `${what}: prediction ${prediction} at pixel ${i} is not a class id in 0..${numClasses - 1}.`,
          {
            fix: 'Pass the argmax over the class axis of logits with numClasses channels.',
            details: { pixel: i, prediction, numClasses },
          },
        );
      }
    }
    let ignored = 0;
    for (let i = 0; i < y.length; i++) {
      const label = y[i] as number;
      if (label === ignoreIndex) {
        ignored++;
        continue;
      }
      const cell = label * numClasses + (p[i] as number);
      this.counts[cell] = (this.counts[cell] as number) + 1;
    }
    this.ignored += ignored;
    return this;
  }
}
