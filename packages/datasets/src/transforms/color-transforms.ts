import { z } from 'zod';
import {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  gaussianBlur,
  toGrayscale,
} from './pixel-ops.js';
import { imageTransform } from './transform.js';

const pSchema = (fallback: number) => z.number().min(0).max(1).default(fallback);

/**
 * torchvision ColorJitter(brightness, contrast, saturation, hue), applied with probability p
 * (RandomApply): the four adjustments run in a random order with factors uniform in
 * [max(0, 1 - x), 1 + x] (hue: a shift uniform in [-hue, hue] turns). On gray images saturation
 * and hue are identities, as they are on a gray PIL image.
 */
export const colorJitter = imageTransform(
  'colorJitter',
  'torchvision ColorJitter: brightness, contrast, saturation and hue in random order, with probability p',
  z.strictObject({
    brightness: z.number().min(0).default(0),
    contrast: z.number().min(0).default(0),
    saturation: z.number().min(0).default(0),
    hue: z.number().min(0).max(0.5).default(0),
    p: pSchema(1),
  }),
  (o, image, rng) => {
    if (!rng.bernoulli(o.p)) return image;
    const order = rng.permutation(4);
    const factor = (x: number) => (x > 0 ? rng.uniform(Math.max(0, 1 - x), 1 + x) : undefined);
    const b = factor(o.brightness);
    const c = factor(o.contrast);
    const s = factor(o.saturation);
    const h = o.hue > 0 ? rng.uniform(-o.hue, o.hue) : undefined;
    let out = image;
    for (const step of order) {
      if (step === 0 && b !== undefined) out = adjustBrightness(out, b);
      else if (step === 1 && c !== undefined) out = adjustContrast(out, c);
      else if (step === 2 && s !== undefined) out = adjustSaturation(out, s);
      else if (step === 3 && h !== undefined) out = adjustHue(out, h);
    }
    return out;
  },
);

/** torchvision RandomGrayscale: RGB -> gray replicated to 3 channels with probability p; gray stays gray. */
export const randomGrayscale = imageTransform(
  'randomGrayscale',
  'torchvision RandomGrayscale: RGB to gray (kept 3 channels) with probability p',
  z.strictObject({ p: pSchema(0.1) }),
  (o, image, rng) => (rng.bernoulli(o.p) ? toGrayscale(image) : image),
);

/**
 * MoCo v2 / PaCo GaussianBlur: with probability p, blur with sigma uniform in [sigma[0], sigma[1]].
 * PIL approximates the Gaussian with box blurs; this is the exact separable Gaussian.
 */
export const gaussianBlurTransform = imageTransform(
  'gaussianBlur',
  'Gaussian blur with sigma uniform in [sigma[0], sigma[1]], with probability p',
  z.strictObject({ sigma: z.tuple([z.number().positive(), z.number().positive()]).default([0.1, 2]), p: pSchema(0.5) }),
  (o, image, rng) => (rng.bernoulli(o.p) ? gaussianBlur(image, rng.uniform(o.sigma[0], o.sigma[1])) : image),
);
