import { z } from 'zod';
import type { Image } from '../../image.js';
import type { LabelMap } from '../label-map.js';
import { pairTransform } from './segmentation-transform.js';

/** Mirrors an HWC array of `channels` values per pixel left-right or top-bottom. */
function flipPixels(
  data: Uint8Array,
  height: number,
  width: number,
  channels: number,
  direction: 'horizontal' | 'vertical',
): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const sy = direction === 'vertical' ? height - 1 - y : y;
    for (let x = 0; x < width; x++) {
      const sx = direction === 'horizontal' ? width - 1 - x : x;
      const to = (y * width + x) * channels;
      const from = (sy * width + sx) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = data[from + c] as number;
    }
  }
  return out;
}

/** mmseg's RandomFlip(prob, direction): image and label map flipped together with probability `prob`. */
export const randomFlipPair = pairTransform(
  'randomFlip',
  'mmseg RandomFlip: image and label map flipped together with probability prob',
  z.strictObject({
    prob: z.number().min(0).max(1).default(0.5),
    direction: z.enum(['horizontal', 'vertical']).default('horizontal'),
  }),
  (o, sample, rng) => {
    if (!(rng.uniform() < o.prob)) return sample;
    const { image, label } = sample;
    const flippedImage: Image = {
      ...image,
      data: flipPixels(image.data, image.height, image.width, image.channels, o.direction),
    };
    const flippedLabel: LabelMap = {
      ...label,
      data: flipPixels(label.data, label.height, label.width, 1, o.direction),
    };
    return { image: flippedImage, label: flippedLabel };
  },
);
