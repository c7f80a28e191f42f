import { LtlabError, type Rng } from '@ltlab/core';
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
  solarizeAdd,
} from './pixel-ops.js';
import { affine, fillFor, type Interpolation, rotate } from './resample.js';
import { imageTransform } from './transform.js';

const MAX_LEVEL = 10;

interface OpContext {
  fill: number[];
  interpolation: Interpolation;
  rng: Rng;
}

/** A signed level: timm negates rotate/shear/translate magnitudes with probability 1/2. */
const signed = (value: number, rng: Rng) => (rng.bernoulli(0.5) ? -value : value);

/**
 * The 15 RandAugment ops of timm's `rand` config as PaCo uses it (docs/methods.md §13), each mapping a
 * magnitude m in [0, 10] to its argument.
 */
const OPS: Record<string, (image: Image, m: number, ctx: OpContext) => Image> = {
  AutoContrast: (image) => autoContrast(image),
  Equalize: (image) => equalize(image),
  Invert: (image) => invert(image),
  Rotate: (image, m, ctx) => rotate(image, signed((30 * m) / MAX_LEVEL, ctx.rng), ctx.interpolation, ctx.fill),
  PosterizeTpu: (image, m) => posterize(image, Math.trunc((4 * m) / MAX_LEVEL)),
  Solarize: (image, m) => solarize(image, Math.trunc((256 * m) / MAX_LEVEL)),
  SolarizeAdd: (image, m) => solarizeAdd(image, Math.trunc((110 * m) / MAX_LEVEL)),
  Color: (image, m) => adjustSaturation(image, 0.1 + (1.8 * m) / MAX_LEVEL),
  Contrast: (image, m) => adjustContrast(image, 0.1 + (1.8 * m) / MAX_LEVEL),
  Brightness: (image, m) => adjustBrightness(image, 0.1 + (1.8 * m) / MAX_LEVEL),
  Sharpness: (image, m) => adjustSharpness(image, 0.1 + (1.8 * m) / MAX_LEVEL),
  ShearX: (image, m, ctx) =>
    affine(image, [1, signed((0.3 * m) / MAX_LEVEL, ctx.rng), 0, 0, 1, 0], ctx.interpolation, ctx.fill),
  ShearY: (image, m, ctx) =>
    affine(image, [1, 0, 0, signed((0.3 * m) / MAX_LEVEL, ctx.rng), 1, 0], ctx.interpolation, ctx.fill),
  TranslateXRel: (image, m, ctx) =>
    affine(image, [1, 0, signed((0.45 * m) / MAX_LEVEL, ctx.rng) * image.width, 0, 1, 0], ctx.interpolation, ctx.fill),
  TranslateYRel: (image, m, ctx) =>
    affine(image, [1, 0, 0, 0, 1, signed((0.45 * m) / MAX_LEVEL, ctx.rng) * image.height], ctx.interpolation, ctx.fill),
};

export const RAND_AUGMENT_OPS: readonly string[] = Object.keys(OPS);

/** Parses timm's `rand-n{N}-m{M}-mstd{S}` config string. */
export function parseRandAugmentConfig(config: string): { n: number; m: number; mstd: number } {
  const [head, ...parts] = config.split('-');
  const out = { n: 2, m: 10, mstd: 0 };
  const bad = (why: string) =>
    new LtlabError('CONFIG.INVALID', `RandAugment config '${config}': ${why}.`, {
      fix: "Write it as 'rand-n2-m10-mstd0.5' (n ops, magnitude m, magnitude noise std mstd).",
    });
  if (head !== 'rand') throw bad("it must start with 'rand'");
  for (const part of parts) {
    const match = /^(mstd|n|m)(\d+(?:\.\d+)?)$/.exec(part);
    if (match === null) throw bad(`unknown part '${part}'`);
    const value = Number(match[2]);
    if (match[1] === 'n') out.n = value;
    else if (match[1] === 'm') out.m = value;
    else out.mstd = value;
  }
  if (!Number.isInteger(out.n) || out.n < 1) throw bad('n must be a positive integer');
  return out;
}

/**
 * RandAugment (Cubuk et al., CVPR-W 2020) in timm's form: N ops drawn uniformly with replacement,
 * each applied with probability 0.5 at magnitude ~ Normal(M, mstd) clipped to [0, 10], resampling
 * bilinear or bicubic at random, fill (124, 116, 104) (its luma, 117, on gray images).
 */
export const randAugment = imageTransform(
  'randAugment',
  "RandAugment in timm's form, from a config string such as rand-n2-m10-mstd0.5",
  z.strictObject({
    config: z.string().default('rand-n2-m10-mstd0.5'),
    fill: z
      .tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)])
      .default([124, 116, 104]),
  }),
  (o, image, rng) => {
    const { n, m, mstd } = parseRandAugmentConfig(o.config);
    const fill = fillFor(o.fill, image.channels);
    let out = image;
    for (let k = 0; k < n; k++) {
      const op = OPS[rng.choice(RAND_AUGMENT_OPS)] as (typeof OPS)[string];
      if (!rng.bernoulli(0.5)) continue;
      const magnitude = Math.min(MAX_LEVEL, Math.max(0, mstd > 0 ? rng.normal(m, mstd) : m));
      const interpolation: Interpolation = rng.bernoulli(0.5) ? 'bilinear' : 'bicubic';
      out = op(out, magnitude, { fill, interpolation, rng });
    }
    return out;
  },
);
