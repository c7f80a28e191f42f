import { deriveSeed, LtlabError, parseOrThrow, Rng } from '@ltlab/core';
import { z } from 'zod';
import type { DatasetSource } from './sources/source.js';

export const longTailCountsOptionsSchema = z.strictObject({
  numClasses: z.number().int().min(2),
  /** Images of the largest class (class 0). */
  imgMax: z.number().int().positive(),
  /** rho = n_max / n_min >= 1 (100 for "CIFAR-10-LT rho 100", the original's imb_factor 0.01). */
  imbalanceFactor: z.number().min(1),
  profile: z.enum(['exp', 'step']).default('exp'),
});

export type LongTailCountsOptions = z.input<typeof longTailCountsOptionsSchema>;

/**
 * Per-class image counts of a long-tailed subset (docs/evaluation.md §4; Cui et al. CVPR 2019, Cao et al.
 * NeurIPS 2019 `get_img_num_per_cls`). With f = 1 / imbalanceFactor and class 0 the largest:
 * - `exp`: n_i = trunc(imgMax * f^(i / (C - 1))), in IEEE double precision;
 * - `step`: the first floor(C/2) classes keep imgMax, the others trunc(imgMax * f). (The original
 *   builds only 2*floor(C/2) entries for odd C; here every class gets one.)
 */
export function longTailCounts(options: LongTailCountsOptions): Int32Array {
  const o = parseOrThrow(
    longTailCountsOptionsSchema,
    options,
    'long-tail counts options',
    'Use e.g. { numClasses: 10, imgMax: 5000, imbalanceFactor: 100 }.',
  );
  const f = 1 / o.imbalanceFactor;
  const C = o.numClasses;
  return Int32Array.from({ length: C }, (_, i) => {
    if (o.profile === 'step') return i < Math.floor(C / 2) ? o.imgMax : Math.trunc(o.imgMax * f);
    return Math.trunc(o.imgMax * f ** (i / (C - 1)));
  });
}

export const longTailOptionsSchema = z.strictObject({
  imbalanceFactor: z.number().min(1),
  profile: z.enum(['exp', 'step']).default('exp'),
  /** Defaults to the size of the smallest class of the (balanced) source: 5000 for CIFAR-10. */
  imgMax: z.number().int().positive().optional(),
  seed: z.number().int().min(0).default(0),
});

/**
 * A long-tailed subset of a (balanced) source: for each class in increasing id, its indices in
 * source order are shuffled with a generator seeded by (seed, class) and the first n_c kept;
 * the subset lists class 0's images first, then class 1's, ... (the loader shuffles).
 * The selection is deterministic given the seed; it is not numpy's (docs/evaluation.md §4).
 */
export function longTailSubset(source: DatasetSource, options: z.input<typeof longTailOptionsSchema>): DatasetSource {
  const o = parseOrThrow(longTailOptionsSchema, options, 'long-tail options');
  const imgMax = o.imgMax ?? Math.min(...source.classCounts);
  const counts = longTailCounts({
    numClasses: source.numClasses,
    imgMax,
    imbalanceFactor: o.imbalanceFactor,
    profile: o.profile,
  });
  const byClass: number[][] = Array.from({ length: source.numClasses }, () => []);
  source.labels.forEach((y, i) => {
    (byClass[y] as number[]).push(i);
  });
  const picked: number[] = [];
  byClass.forEach((members, c) => {
    const want = counts[c] as number;
    if (members.length < want) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Class ${c} has ${members.length} images, fewer than the ${want} the profile asks for.`,
        {
          fix: `Lower imgMax (the smallest class has ${Math.min(...source.classCounts)} images).`,
        },
      );
    }
    const rng = new Rng(deriveSeed(o.seed, 'long-tail', c));
    picked.push(...rng.shuffle([...members]).slice(0, want));
  });
  return source.subset(picked);
}
