import { z } from 'zod';
import type { Image } from '../image.js';
import { type Box, crop, resize, resizeBox } from './resample.js';
import { imageTransform } from './transform.js';

const sizeSchema = z.union([
  z.number().int().positive(),
  z.tuple([z.number().int().positive(), z.number().int().positive()]),
]);

function hw(size: z.output<typeof sizeSchema>): [number, number] {
  return typeof size === 'number' ? [size, size] : size;
}

/** torchvision RandomCrop(size, padding, fill): pad every side, then crop at a uniform offset. */
export const randomCrop = imageTransform(
  'randomCrop',
  'torchvision RandomCrop: pad every side, then crop at a uniform offset',
  z.strictObject({
    size: sizeSchema,
    padding: z.number().int().min(0).default(0),
    fill: z.number().int().min(0).max(255).default(0),
  }),
  (o, image, rng) => {
    const [th, tw] = hw(o.size);
    const h = image.height + 2 * o.padding;
    const w = image.width + 2 * o.padding;
    const top = rng.int(0, Math.max(0, h - th) + 1) - o.padding;
    const left = rng.int(0, Math.max(0, w - tw) + 1) - o.padding;
    return crop(image, { top, left, height: th, width: tw }, [o.fill]);
  },
);

/** torchvision RandomResizedCrop.get_params: 10 tries of (area, log-uniform ratio), then a centre crop. */
export function randomResizedCropBox(
  image: Image,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  rng: { uniform(min: number, max: number): number; int(min: number, max: number): number },
): Box {
  const { height, width } = image;
  const area = height * width;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
    const w = Math.round(Math.sqrt(targetArea * aspect));
    const h = Math.round(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return { top: rng.int(0, height - h + 1), left: rng.int(0, width - w + 1), height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < Math.min(...ratio)) h = Math.round(w / Math.min(...ratio));
  else if (inRatio > Math.max(...ratio)) w = Math.round(h * Math.max(...ratio));
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

export const randomResizedCrop = imageTransform(
  'randomResizedCrop',
  'torchvision RandomResizedCrop: a crop of random area and aspect ratio, resized to size',
  z.strictObject({
    size: sizeSchema,
    scale: z.tuple([z.number().positive(), z.number().positive()]).default([0.08, 1]),
    ratio: z.tuple([z.number().positive(), z.number().positive()]).default([3 / 4, 4 / 3]),
  }),
  (o, image, rng) => {
    const [th, tw] = hw(o.size);
    return resizeBox(image, randomResizedCropBox(image, o.scale, o.ratio, rng), th, tw);
  },
);

/** torchvision Resize: an int resizes the shorter side (aspect kept), [h, w] resizes exactly. */
export const resizeTransform = imageTransform(
  'resize',
  'torchvision Resize: an int resizes the shorter side (aspect kept), [h, w] resizes exactly',
  z.strictObject({ size: sizeSchema }),
  (o, image) => {
    if (typeof o.size !== 'number') return resize(image, o.size[0], o.size[1]);
    const short = Math.min(image.height, image.width);
    const long = Math.max(image.height, image.width);
    const longOut = Math.trunc((o.size * long) / short);
    return image.height <= image.width ? resize(image, o.size, longOut) : resize(image, longOut, o.size);
  },
);

/** torchvision CenterCrop (offsets rounded as int(round((H - h) / 2))). */
export const centerCrop = imageTransform(
  'centerCrop',
  'torchvision CenterCrop: the central size x size crop',
  z.strictObject({ size: sizeSchema }),
  (o, image) => {
    const [th, tw] = hw(o.size);
    const top = Math.round((image.height - th) / 2);
    const left = Math.round((image.width - tw) / 2);
    return crop(image, { top, left, height: th, width: tw });
  },
);

/** Horizontal flip with probability p. */
export const horizontalFlip = imageTransform(
  'horizontalFlip',
  'horizontal flip with probability p',
  z.strictObject({ p: z.number().min(0).max(1).default(0.5) }),
  (o, image, rng) => {
    if (!rng.bernoulli(o.p)) return image;
    const { data, width: W, height: H, channels: C } = image;
    const out = new Uint8Array(data.length);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const src = (y * W + (W - 1 - x)) * C;
        const dst = (y * W + x) * C;
        for (let c = 0; c < C; c++) out[dst + c] = data[src + c] as number;
      }
    }
    return { ...image, data: out };
  },
);

/**
 * Cutout (DeVries & Taylor 2017, as in the PaCo CIFAR pipeline): `holes` squares of side
 * `length` centred uniformly in the image, clipped at the borders, set to 0 before normalisation.
 */
export const cutout = imageTransform(
  'cutout',
  'Cutout: holes squares of side length, centred uniformly, set to 0',
  z.strictObject({ holes: z.number().int().positive().default(1), length: z.number().int().positive() }),
  (o, image, rng) => {
    const { width: W, height: H, channels: C } = image;
    const data = Uint8Array.from(image.data);
    const half = Math.floor(o.length / 2);
    for (let k = 0; k < o.holes; k++) {
      const cy = rng.int(0, H);
      const cx = rng.int(0, W);
      const y1 = Math.min(H, Math.max(0, cy - half));
      const y2 = Math.min(H, Math.max(0, cy + half));
      const x1 = Math.min(W, Math.max(0, cx - half));
      const x2 = Math.min(W, Math.max(0, cx + half));
      for (let y = y1; y < y2; y++) data.fill(0, (y * W + x1) * C, (y * W + x2) * C);
    }
    return { ...image, data };
  },
);
