import type { Rng } from '@ltlab/core';
import { z } from 'zod';
import type { Image } from '../../image.js';
import { hsvToRgb, rgbToHsv } from './opencv-hsv.js';
import { pairTransform } from './segmentation-transform.js';

/** mmseg's `convert`: x * alpha + beta in float, clipped to [0, 255], truncated to uint8. */
function convert(value: number, alpha: number, beta: number): number {
  const x = value * alpha + beta;
  return x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x);
}

function affinePixels(image: Image, alpha: number, beta: number): Image {
  return { ...image, data: image.data.map((v) => convert(v, alpha, beta)) };
}

/** Applies `change` to the HSV form of an RGB image; gray images have no hue or saturation to change. */
function inHsv(image: Image, change: (hsv: Uint8Array) => void): Image {
  if (image.channels !== 3) return image;
  const hsv = rgbToHsv(image.data);
  change(hsv);
  return { ...image, data: hsvToRgb(hsv) };
}

/**
 * mmseg's PhotoMetricDistortion, step by step: each of brightness (add U(-delta, delta)), contrast
 * (multiply by U(lo, hi)), saturation (scale HSV's S) and hue (add an integer in [-delta, delta) to
 * HSV's H, modulo 180) happens with probability 1/2, each result clipped and truncated to uint8;
 * contrast comes right after brightness or last, by a fair coin. HSV is OpenCV's 8-bit form. The
 * coin flips and draws are taken in mmseg's order; the label map is untouched.
 */
export const photoMetricDistortion = pairTransform(
  'photoMetricDistortion',
  'mmseg PhotoMetricDistortion: brightness, contrast, saturation and hue, each with probability 1/2; image only',
  z.strictObject({
    brightnessDelta: z.number().min(0).default(32),
    contrastRange: z.tuple([z.number().min(0), z.number().min(0)]).default([0.5, 1.5]),
    saturationRange: z.tuple([z.number().min(0), z.number().min(0)]).default([0.5, 1.5]),
    hueDelta: z.number().int().min(0).max(180).default(18),
  }),
  (o, sample, rng: Rng) => {
    const coin = () => rng.int(0, 2) === 1;
    const contrast = (image: Image) =>
      coin() ? affinePixels(image, rng.uniform(o.contrastRange[0], o.contrastRange[1]), 0) : image;
    let image = sample.image;
    if (coin()) image = affinePixels(image, 1, rng.uniform(-o.brightnessDelta, o.brightnessDelta));
    const contrastFirst = coin();
    if (contrastFirst) image = contrast(image);
    if (coin()) {
      const alpha = rng.uniform(o.saturationRange[0], o.saturationRange[1]);
      image = inHsv(image, (hsv) => {
        for (let i = 1; i < hsv.length; i += 3) hsv[i] = convert(hsv[i] as number, alpha, 0);
      });
    }
    if (coin()) {
      // numpy's randint(-d, d) excludes d.
      const shift = o.hueDelta === 0 ? 0 : rng.int(-o.hueDelta, o.hueDelta);
      image = inHsv(image, (hsv) => {
        for (let i = 0; i < hsv.length; i += 3) hsv[i] = ((((hsv[i] as number) + shift) % 180) + 180) % 180;
      });
    }
    if (!contrastFirst) image = contrast(image);
    return { image, label: sample.label };
  },
);
