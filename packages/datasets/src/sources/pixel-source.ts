import { LtlabError } from '@ltlab/core';
import type { Image } from '../image.js';
import { applyLabelMap, checkIndices, countClasses } from './class-counts.js';
import type { DatasetSource, PixelRef, Sample } from './source.js';

/**
 * A source whose images are all in memory with one shape (IDX, CIFAR). The pixels live in a
 * SharedArrayBuffer, so loader workers read them without a copy; subsets share the buffer.
 */
export class PixelSource implements DatasetSource {
  readonly size: number;
  readonly numClasses: number;
  readonly classCounts: Int32Array;
  readonly classNames: readonly string[] | undefined;
  readonly labels: Int32Array;
  readonly imageRef: PixelRef;

  constructor(
    ref: PixelRef,
    labels: Int32Array,
    numClasses: number,
    classNames: readonly string[] | undefined,
    what: string,
  ) {
    if (ref.rows.length !== labels.length) {
      throw new LtlabError('INTERNAL', `${what}: ${ref.rows.length} images but ${labels.length} labels.`);
    }
    this.imageRef = ref;
    this.labels = labels;
    this.size = labels.length;
    this.numClasses = numClasses;
    this.classNames = classNames;
    this.classCounts = countClasses(labels, numClasses, what);
  }

  /** Builds a source from freshly read pixels, moving them into shared memory. */
  static fromPixels(
    pixels: Uint8Array,
    shape: { height: number; width: number; channels: number },
    labels: Int32Array,
    numClasses: number,
    classNames: readonly string[] | undefined,
    what: string,
  ): PixelSource {
    const shared = new Uint8Array(new SharedArrayBuffer(pixels.length));
    shared.set(pixels);
    const rows = Int32Array.from({ length: labels.length }, (_, i) => i);
    return new PixelSource({ kind: 'pixels', pixels: shared, ...shape, rows }, labels, numClasses, classNames, what);
  }

  get shape(): [number, number, number] {
    return [this.imageRef.height, this.imageRef.width, this.imageRef.channels];
  }

  /** The sample at `index`; its image is a view into the shared pixels (copy before writing). */
  get(index: number): Sample {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new LtlabError('CONFIG.INVALID', `Index ${index} is outside the source of ${this.size} samples.`);
    }
    return { image: pixelImage(this.imageRef, index), label: this.labels[index] as number };
  }

  load(index: number): Promise<Sample> {
    return Promise.resolve(this.get(index));
  }

  subset(indices: ArrayLike<number>): PixelSource {
    const picked = checkIndices(indices, this.size);
    const rows = Int32Array.from(picked, (i) => this.imageRef.rows[i] as number);
    const labels = Int32Array.from(picked, (i) => this.labels[i] as number);
    return new PixelSource({ ...this.imageRef, rows }, labels, this.numClasses, this.classNames, 'subset');
  }

  relabel(map: ArrayLike<number>): PixelSource {
    const { labels, classNames } = applyLabelMap(this.labels, map, this.numClasses, this.classNames);
    return new PixelSource(this.imageRef, labels, this.numClasses, classNames, 'relabelled source');
  }
}

/** Image `index` of a pixel ref, as a view (no copy). */
export function pixelImage(ref: PixelRef, index: number): Image {
  const bytes = ref.height * ref.width * ref.channels;
  const row = ref.rows[index] as number;
  return {
    data: ref.pixels.subarray(row * bytes, (row + 1) * bytes),
    height: ref.height,
    width: ref.width,
    channels: ref.channels,
  };
}
