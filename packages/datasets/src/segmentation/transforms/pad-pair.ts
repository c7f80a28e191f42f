import { z } from 'zod';
import { IGNORE_INDEX } from '../label-map.js';
import type { PadSpec, SegmentationTransformEntry } from './segmentation-transform.js';

const schema = z
  .strictObject({
    size: z
      .union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])])
      .optional(),
    sizeDivisor: z.number().int().positive().optional(),
    padValue: z.number().default(0),
    labelPadValue: z.number().int().min(0).max(255).default(IGNORE_INDEX),
  })
  .refine((o) => (o.size === undefined) !== (o.sizeDivisor === undefined), {
    message: 'give exactly one of size or sizeDivisor',
  });

/**
 * mmseg's Pad(size, size_divisor, pad_val, seg_pad_val): pads the bottom and right of the image and
 * label map to `size` (or up to a multiple of `sizeDivisor`). It runs at the float output, after
 * `normalize`, as in mmseg: the image pad value 0 is the mean colour, and padded label pixels are
 * the ignore index, so no loss or metric counts them.
 */
export const padPair: SegmentationTransformEntry = {
  name: 'pad',
  summary:
    'mmseg Pad: bottom and right to size (or a multiple of sizeDivisor), labels with the ignore index; the last step',
  stage: 'pad',
  schema,
  create: (options): PadSpec => {
    const o = options as z.output<typeof schema>;
    return {
      size: o.size === undefined ? undefined : typeof o.size === 'number' ? [o.size, o.size] : o.size,
      sizeDivisor: o.sizeDivisor,
      padValue: o.padValue,
      labelPadValue: o.labelPadValue,
    };
  },
};
