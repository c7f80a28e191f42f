import { LtlabError } from '@ltlab/core';
import { checkIndices } from '../../sources/class-counts.js';
import { IGNORE_INDEX, type LabelMap, type SegmentationSample } from '../label-map.js';
import { pixelPair, type SegmentationPixelRef, type SegmentationSource } from './segmentation-source.js';

/**
 * Segmentation pairs held in memory with one shape (the Fashion-MNIST canvases). Images and labels
 * live in SharedArrayBuffers, so loader workers read them without a copy; subsets share them.
 */
export class SegmentationPixelSource implements SegmentationSource {
  readonly size: number;
  readonly numClasses: number;
  readonly classNames: readonly string[] | undefined;
  readonly description: string;
  readonly ref: SegmentationPixelRef;
  readonly statsCacheFile = undefined;

  constructor(
    ref: SegmentationPixelRef,
    options: { numClasses: number; classNames?: readonly string[] | undefined; description: string },
  ) {
    this.ref = ref;
    this.size = ref.rows.length;
    this.numClasses = options.numClasses;
    this.classNames = options.classNames;
    this.description = options.description;
  }

  /**
   * A source from freshly built arrays, copied into shared memory. Every label value must be a
   * class id or the ignore index (checked once here, so loading never has to).
   */
  static fromArrays(
    images: Uint8Array,
    labels: Uint8Array,
    shape: { count: number; height: number; width: number; channels: number },
    options: { numClasses: number; classNames?: readonly string[] | undefined; description: string },
  ): SegmentationPixelSource {
    const { count, height, width, channels } = shape;
    if (images.length !== count * height * width * channels || labels.length !== count * height * width) {
      throw new LtlabError(
        'INTERNAL',
        `${options.description}: arrays do not hold ${count} ${height}x${width}x${channels} pairs.`,
      );
    }
    for (let p = 0; p < labels.length; p++) {
      const v = labels[p] as number;
      if (v >= options.numClasses && v !== IGNORE_INDEX) {
        throw new LtlabError(
          'INTERNAL',
          `${options.description}: label value ${v} in image ${Math.floor(p / (height * width))}.`,
        );
      }
    }
    const share = (array: Uint8Array) => {
      const shared = new Uint8Array(new SharedArrayBuffer(array.length));
      shared.set(array);
      return shared;
    };
    const rows = Int32Array.from({ length: count }, (_, i) => i);
    return new SegmentationPixelSource(
      { kind: 'segmentation-pixels', images: share(images), labels: share(labels), height, width, channels, rows },
      options,
    );
  }

  /** Sample `index` as views into the shared arrays (copy before writing). */
  get(index: number): SegmentationSample {
    return pixelPair(this.ref, index);
  }

  load(index: number): Promise<SegmentationSample> {
    return Promise.resolve(pixelPair(this.ref, index));
  }

  loadLabel(index: number): Promise<LabelMap> {
    return Promise.resolve(pixelPair(this.ref, index).label);
  }

  subset(indices: ArrayLike<number>): SegmentationPixelSource {
    const picked = checkIndices(indices, this.size);
    const rows = Int32Array.from(picked, (i) => this.ref.rows[i] as number);
    return new SegmentationPixelSource(
      { ...this.ref, rows },
      { numClasses: this.numClasses, classNames: this.classNames, description: `subset of ${this.description}` },
    );
  }
}
