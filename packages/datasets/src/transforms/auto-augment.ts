import type { Rng } from '@ltlab/core';
import { z } from 'zod';
import type { Image } from '../image.js';
import {
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  adjustSharpness,
  autoContrast,
  equalize,
  invert,
  posterize,
  solarize,
} from './pixel-ops.js';
import { affine, fillFor, rotate } from './resample.js';
import { imageTransform } from './transform.js';

const linspace = (a: number, b: number) => Array.from({ length: 10 }, (_, i) => a + ((b - a) * i) / 9);

/** Magnitude tables of the AutoAugment reference implementation (10 levels per op). */
const RANGES = {
  shearX: linspace(0, 0.3),
  shearY: linspace(0, 0.3),
  translateX: linspace(0, 150 / 331),
  translateY: linspace(0, 150 / 331),
  rotate: linspace(0, 30),
  color: linspace(0, 0.9),
  posterize: linspace(8, 4).map((v) => Math.round(v)),
  solarize: linspace(256, 0),
  contrast: linspace(0, 0.9),
  sharpness: linspace(0, 0.9),
  brightness: linspace(0, 0.9),
  autocontrast: linspace(0, 0),
  equalize: linspace(0, 0),
  invert: linspace(0, 0),
} as const;

type OpName = keyof typeof RANGES;

const sign = (rng: Rng) => (rng.bernoulli(0.5) ? -1 : 1);

const OPS: Record<OpName, (image: Image, magnitude: number, rng: Rng, fill: number[]) => Image> = {
  shearX: (im, m, rng, fill) => affine(im, [1, m * sign(rng), 0, 0, 1, 0], 'bicubic', fill),
  shearY: (im, m, rng, fill) => affine(im, [1, 0, 0, m * sign(rng), 1, 0], 'bicubic', fill),
  translateX: (im, m, rng, fill) => affine(im, [1, 0, m * im.width * sign(rng), 0, 1, 0], 'nearest', fill),
  translateY: (im, m, rng, fill) => affine(im, [1, 0, 0, 0, 1, m * im.height * sign(rng)], 'nearest', fill),
  // The reference rotates with nearest resampling and composites onto gray (128).
  rotate: (im, m, _rng, fill) => rotate(im, m, 'nearest', fill),
  color: (im, m, rng) => adjustSaturation(im, 1 + m * sign(rng)),
  posterize: (im, m) => posterize(im, m),
  solarize: (im, m) => solarize(im, m),
  contrast: (im, m, rng) => adjustContrast(im, 1 + m * sign(rng)),
  sharpness: (im, m, rng) => adjustSharpness(im, 1 + m * sign(rng)),
  brightness: (im, m, rng) => adjustBrightness(im, 1 + m * sign(rng)),
  autocontrast: (im) => autoContrast(im),
  equalize: (im) => equalize(im),
  invert: (im) => invert(im),
};

type SubPolicy = readonly [number, OpName, number, number, OpName, number];

/** The 25 best CIFAR-10 sub-policies of AutoAugment (Cubuk et al., CVPR 2019, appendix table). */
export const CIFAR10_POLICY: readonly SubPolicy[] = [
  [0.1, 'invert', 7, 0.2, 'contrast', 6],
  [0.7, 'rotate', 2, 0.3, 'translateX', 9],
  [0.8, 'sharpness', 1, 0.9, 'sharpness', 3],
  [0.5, 'shearY', 8, 0.7, 'translateY', 9],
  [0.5, 'autocontrast', 8, 0.9, 'equalize', 2],
  [0.2, 'shearY', 7, 0.3, 'posterize', 7],
  [0.4, 'color', 3, 0.6, 'brightness', 7],
  [0.3, 'sharpness', 9, 0.7, 'brightness', 9],
  [0.6, 'equalize', 5, 0.5, 'equalize', 1],
  [0.6, 'contrast', 7, 0.6, 'sharpness', 5],
  [0.7, 'color', 7, 0.5, 'translateX', 8],
  [0.3, 'equalize', 7, 0.4, 'autocontrast', 8],
  [0.4, 'translateY', 3, 0.2, 'sharpness', 6],
  [0.9, 'brightness', 6, 0.2, 'color', 8],
  [0.5, 'solarize', 2, 0.0, 'invert', 3],
  [0.2, 'equalize', 0, 0.6, 'autocontrast', 0],
  [0.2, 'equalize', 8, 0.6, 'equalize', 4],
  [0.9, 'color', 9, 0.6, 'equalize', 6],
  [0.8, 'autocontrast', 4, 0.2, 'solarize', 8],
  [0.1, 'brightness', 3, 0.7, 'color', 0],
  [0.4, 'solarize', 5, 0.9, 'autocontrast', 3],
  [0.9, 'translateY', 9, 0.7, 'translateY', 9],
  [0.9, 'autocontrast', 2, 0.8, 'solarize', 3],
  [0.8, 'equalize', 8, 0.1, 'invert', 3],
  [0.7, 'translateY', 9, 0.9, 'autocontrast', 1],
];

/**
 * AutoAugment CIFAR-10 policy as in the PaCo CIFAR pipeline: one of the 25 sub-policies chosen
 * uniformly per image; each of its two ops runs with its probability. Fill gray (128).
 */
export const autoAugmentCifar10 = imageTransform(
  'autoAugmentCifar10',
  "AutoAugment's CIFAR-10 policy: one of its 25 sub-policies per image",
  z.strictObject({ fill: z.number().int().min(0).max(255).default(128) }),
  (o, image, rng) => {
    const [p1, op1, m1, p2, op2, m2] = rng.choice(CIFAR10_POLICY);
    const fill = fillFor([o.fill, o.fill, o.fill], image.channels);
    let out = image;
    if (rng.uniform() < p1) out = OPS[op1](out, RANGES[op1][m1] as number, rng, fill);
    if (rng.uniform() < p2) out = OPS[op2](out, RANGES[op2][m2] as number, rng, fill);
    return out;
  },
);
