import type { Image } from '../image.js';

export interface Sample {
  image: Image;
  label: number;
}

/**
 * Where the pixels of a source live, in a form that crosses to a worker thread by structured
 * clone: in-memory pixels share one SharedArrayBuffer, files are decoded where they are read.
 */
export type ImageRef = PixelRef | FileRef;

export interface PixelRef {
  kind: 'pixels';
  /** All images, each height*width*channels bytes, back to back (SharedArrayBuffer-backed). */
  pixels: Uint8Array;
  height: number;
  width: number;
  channels: number;
  /** Row of `pixels` holding sample i (sources that are subsets of a bigger array). */
  rows: Int32Array;
}

export interface FileRef {
  kind: 'files';
  /** Absolute path of sample i. */
  paths: string[];
  decode: DecodeOptions;
}

export interface DecodeOptions {
  /** 3 = RGB (alpha removed, gray expanded), 1 = gray. */
  channels: 1 | 3;
  /** Resize so the shorter side has this length (aspect kept) while decoding, as Resize(256) does. */
  shorterSide?: number | undefined;
  /** Resize to exactly height x width while decoding. */
  size?: { height: number; width: number } | undefined;
}

/**
 * An indexable labelled image set: `{ image: HxWxC uint8, label }` for i in [0, size).
 * Every source also exposes its labels and class counts without touching pixels, so samplers and
 * long-tail construction never decode an image.
 */
export interface DatasetSource {
  readonly size: number;
  readonly numClasses: number;
  /** Images per class (class c at index c). */
  readonly classCounts: Int32Array;
  /** Class names where the format provides them. */
  readonly classNames: readonly string[] | undefined;
  /** Label of each sample. */
  readonly labels: Int32Array;
  readonly imageRef: ImageRef;
  /** The sample at `index` (decoded off the main thread for file sources). */
  load(index: number): Promise<Sample>;
  /** A source over `indices` of this one, in that order. */
  subset(indices: ArrayLike<number>): DatasetSource;
  /** The same images with label y replaced by `map[y]` (and class names permuted to match). */
  relabel(map: ArrayLike<number>): DatasetSource;
}
