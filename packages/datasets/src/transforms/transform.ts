import type { Rng } from '@ltlab/core';
import type { z } from 'zod';
import type { Image } from '../image.js';

/** One augmentation step on a uint8 HWC image; all randomness comes from `rng`. */
export interface ImageTransform {
  readonly name: string;
  apply(image: Image, rng: Rng): Image;
}

/** How the final uint8 image becomes floats: (x / 255 - mean[c]) / std[c]. */
export interface OutputNormalization {
  mean: number[];
  std: number[];
}

export type TransformEntry =
  | { name: string; stage: 'image'; schema: z.ZodType; create(options: unknown): ImageTransform }
  | { name: string; stage: 'output'; schema: z.ZodType; create(options: unknown): OutputNormalization };

/** A registry entry of an image transform; `create` receives the parsed options. */
export function imageTransform<S extends z.ZodType>(
  name: string,
  schema: S,
  apply: (options: z.output<S>, image: Image, rng: Rng) => Image,
): TransformEntry {
  return {
    name,
    stage: 'image',
    schema,
    create: (options) => ({ name, apply: (image, rng) => apply(options as z.output<S>, image, rng) }),
  };
}
