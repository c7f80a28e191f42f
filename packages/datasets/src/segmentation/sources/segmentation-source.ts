import { LtlabError } from '@ltlab/core';
import { decodeImageFile } from '../../sources/decode-image.js';
import type { LabelLut } from '../label-lut.js';
import type { LabelMap, SegmentationSample } from '../label-map.js';
import { decodeLabelFile } from './decode-label.js';

/**
 * Where the images and label maps of a segmentation source live, in a form that crosses to a
 * loader worker by structured clone (the classification sources' ImageRef, for pairs).
 */
export type SegmentationRef = SegmentationFileRef | SegmentationPixelRef;

export interface SegmentationFileRef {
  kind: 'segmentation-files';
  /** Absolute path of the image of sample i (decoded to RGB). */
  imagePaths: string[];
  /** Absolute path of the label map of sample i (8-bit gray PNG). */
  labelPaths: string[];
  /** Stored label value -> class id (see label-lut.ts). */
  labelLut: LabelLut;
}

export interface SegmentationPixelRef {
  kind: 'segmentation-pixels';
  /** All images, height*width*channels bytes each, back to back (SharedArrayBuffer-backed). */
  images: Uint8Array;
  /** All label maps, height*width bytes each (class ids or the ignore index). */
  labels: Uint8Array;
  height: number;
  width: number;
  channels: number;
  /** Row of `images`/`labels` holding sample i (subsets share the arrays). */
  rows: Int32Array;
}

/**
 * An indexable set of (image, label map) pairs: `load(i)` gives an H x W x C uint8 image and an
 * H x W label map of class ids in [0, numClasses) or the ignore index 255. Bad data fails with a
 * DATA.* error naming the file.
 */
export interface SegmentationSource {
  readonly size: number;
  readonly numClasses: number;
  readonly classNames: readonly string[] | undefined;
  /** What the source is, for messages and cache files ("ADE20K training (/data/ade)"). */
  readonly description: string;
  readonly ref: SegmentationRef;
  /**
   * Where `imageClassCounts` caches its result for this source by default (next to the data);
   * undefined for in-memory sources, which are counted in milliseconds.
   */
  readonly statsCacheFile: string | undefined;
  load(index: number): Promise<SegmentationSample>;
  /** The label map alone (statistics read only labels). */
  loadLabel(index: number): Promise<LabelMap>;
  /** A source over `indices` of this one, in that order. */
  subset(indices: ArrayLike<number>): SegmentationSource;
}

export function segmentationRefSize(ref: SegmentationRef): number {
  return ref.kind === 'segmentation-files' ? ref.imagePaths.length : ref.rows.length;
}

function checkIndex(ref: SegmentationRef, index: number): void {
  const size = segmentationRefSize(ref);
  if (!(Number.isInteger(index) && index >= 0 && index < size)) {
    throw new LtlabError('CONFIG.INVALID', `Index ${index} is outside the segmentation source of ${size} samples.`);
  }
}

/** Pair `index` of an in-memory ref, as views into the shared arrays (copy before writing). */
export function pixelPair(ref: SegmentationPixelRef, index: number): SegmentationSample {
  checkIndex(ref, index);
  const pixels = ref.height * ref.width;
  const bytes = pixels * ref.channels;
  const row = ref.rows[index] as number;
  return {
    image: {
      data: ref.images.subarray(row * bytes, (row + 1) * bytes),
      height: ref.height,
      width: ref.width,
      channels: ref.channels,
    },
    label: { data: ref.labels.subarray(row * pixels, (row + 1) * pixels), height: ref.height, width: ref.width },
  };
}

/** Label map `index` of a ref (decoded for files, a view for pixel refs). */
export async function loadSegmentationLabel(ref: SegmentationRef, index: number): Promise<LabelMap> {
  if (ref.kind === 'segmentation-pixels') return pixelPair(ref, index).label;
  checkIndex(ref, index);
  return decodeLabelFile(ref.labelPaths[index] as string, index, ref.labelLut);
}

/**
 * Sample `index` of a ref, decoded where it is called (a loader worker or the main thread). Image
 * and label map must have the same size: a mismatch is DATA.CORRUPT naming both files.
 */
export async function loadSegmentationSample(ref: SegmentationRef, index: number): Promise<SegmentationSample> {
  if (ref.kind === 'segmentation-pixels') return pixelPair(ref, index);
  checkIndex(ref, index);
  const imagePath = ref.imagePaths[index] as string;
  const labelPath = ref.labelPaths[index] as string;
  const [image, label] = await Promise.all([
    decodeImageFile(imagePath, index, { channels: 3 }),
    decodeLabelFile(labelPath, index, ref.labelLut),
  ]);
  if (image.height !== label.height || image.width !== label.width) {
    throw new LtlabError(
      'DATA.CORRUPT',
      `Label map ${labelPath} is ${label.width}x${label.height} (width x height) but its image ${imagePath} ` +
        `is ${image.width}x${image.height} (sample ${index}).`,
      {
        fix: 'A label map must have exactly the size of its image: re-extract the pair or drop it from the dataset.',
        details: {
          index,
          imagePath,
          labelPath,
          image: [image.height, image.width],
          label: [label.height, label.width],
        },
      },
    );
  }
  return { image, label };
}
