import { LtlabError } from '@ltlab/core';
import { z } from 'zod';
import { resizeBilinear, resizeNearestLabel } from './resample-pair.js';
import { pairTransform } from './segmentation-transform.js';

const positiveInt = z.number().int().positive();

/**
 * mmcv's `rescale_size` with a (long, short) scale: the largest factor that keeps the long edge
 * within max(scale) and the short edge within min(scale), sizes rounded half up.
 */
export function rescaleSize(height: number, width: number, scale: readonly [number, number]): [number, number] {
  const longEdge = Math.max(scale[0], scale[1]);
  const shortEdge = Math.min(scale[0], scale[1]);
  const factor = Math.min(longEdge / Math.max(height, width), shortEdge / Math.min(height, width));
  return [Math.max(1, Math.trunc(height * factor + 0.5)), Math.max(1, Math.trunc(width * factor + 0.5))];
}

/**
 * mmseg's Resize (img_scale, ratio_range, keep_ratio). With `ratioRange` [lo, hi], a ratio r is drawn
 * uniformly and the scale becomes (trunc(scale[0] r), trunc(scale[1] r)). With `keepRatio` (the
 * default) the scale bounds the long and short edges (ADE20K: [2048, 512]); without it the image
 * becomes exactly scale[0] wide and scale[1] high (mmseg's (w, h) order). The image is resized
 * bilinearly (OpenCV's INTER_LINEAR), the label map with nearest neighbours at the same pixel
 * centres.
 */
export const resizePair = pairTransform(
  'resize',
  'mmseg Resize: scale by a ratio drawn from ratioRange, the label map by nearest neighbours',
  z
    .strictObject({
      scale: z.tuple([positiveInt, positiveInt]),
      ratioRange: z.tuple([z.number().positive(), z.number().positive()]).optional(),
      keepRatio: z.boolean().default(true),
    })
    .refine((o) => o.ratioRange === undefined || o.ratioRange[0] <= o.ratioRange[1], {
      message: 'ratioRange must be [min, max] with min <= max',
    }),
  (o, sample, rng) => {
    let scale: [number, number] = o.scale;
    if (o.ratioRange !== undefined) {
      const [lo, hi] = o.ratioRange;
      const ratio = rng.uniform() * (hi - lo) + lo;
      scale = [Math.trunc(o.scale[0] * ratio), Math.trunc(o.scale[1] * ratio)];
      if (scale[0] < 1 || scale[1] < 1) {
        throw new LtlabError('CONFIG.INVALID', `resize: scale ${o.scale} x ratio ${ratio} is empty.`, {
          fix: 'Raise the scale or the lower end of ratioRange.',
        });
      }
    }
    const { height, width } = sample.image;
    const [outHeight, outWidth] = o.keepRatio ? rescaleSize(height, width, scale) : [scale[1], scale[0]];
    return {
      image: resizeBilinear(sample.image, outHeight, outWidth),
      label: resizeNearestLabel(sample.label, outHeight, outWidth),
    };
  },
);
