import { LtlabError } from '@ltlab/core';
import type { Image } from '../image.js';

/**
 * The label value that marks pixels no loss or metric counts (mmseg's `ignore_index`): unlabelled
 * pixels, ADE20K's "other" after reduce-zero-label, and the padding added around crops.
 */
export const IGNORE_INDEX = 255;

/** A per-pixel class map, row-major height x width: a class id in [0, C) or IGNORE_INDEX. */
export interface LabelMap {
  data: Uint8Array;
  height: number;
  width: number;
}

/** One segmentation sample: an HWC uint8 image and its label map of the same height and width. */
export interface SegmentationSample {
  image: Image;
  label: LabelMap;
}

export function createLabelMap(height: number, width: number, fill = 0): LabelMap {
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new LtlabError('CONFIG.INVALID', `Cannot create a ${height}x${width} label map.`);
  }
  return { data: new Uint8Array(height * width).fill(fill), height, width };
}
