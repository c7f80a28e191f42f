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

/** What every transform entry has: the name a pipeline step uses, one line on what it does, its options. */
interface TransformEntryBase {
  readonly name: string;
  readonly summary: string;
  readonly schema: z.ZodType;
}

export type TransformEntry =
  | (TransformEntryBase & { readonly stage: 'image'; create(options: unknown): ImageTransform })
  | (TransformEntryBase & { readonly stage: 'output'; create(options: unknown): OutputNormalization });

/** A registry entry of an image transform; `create` receives the parsed options. */
export function imageTransform<S extends z.ZodType>(
  name: string,
  summary: string,
  schema: S,
  apply: (options: z.output<S>, image: Image, rng: Rng) => Image,
): TransformEntry {
  return {
    name,
    summary,
    stage: 'image',
    schema,
    create: (options) => ({ name, apply: (image, rng) => apply(options as z.output<S>, image, rng) }),
  };
}
