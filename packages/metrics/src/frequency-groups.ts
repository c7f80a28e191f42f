import { LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';

/**
 * Head / body / tail classes of a segmentation data set by image-level frequency: the number of
 * training images that contain each class: the statistic of Region Rebalance's prior
 * pi_c = N_img(c) / sum N_img (arXiv 2204.01969; docs/methods.md §10, step 4), which
 * `@ltlab/datasets` counts from the label maps. The segmentation
 * counterpart of many / medium / few (`shot-thresholds.ts`); why terciles by default is in
 * docs/segmentation.md "Metrics".
 */
export type FrequencyGroup = 'head' | 'body' | 'tail';

export const FREQUENCY_GROUPS: readonly FrequencyGroup[] = ['head', 'body', 'tail'];

/**
 * - `rank-terciles` (default): sort the classes by image count, most frequent first (ties: lower
 *   class id first); the class at rank r of C is head when floor(3r / C) = 0, body when 1, tail
 *   when 2. Three groups of equal size (150 ADE20K classes: 50 / 50 / 50; C = 11: 4 / 4 / 3).
 * - `image-count`: fixed thresholds, as `SHOT_THRESHOLDS`: head when the count is above
 *   `headAbove`, tail when below `tailBelow`, body otherwise.
 */
export const frequencyGroupingSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('rank-terciles') }).strict(),
  z
    .object({
      by: z.literal('image-count'),
      headAbove: z.number().int().min(0),
      tailBelow: z.number().int().min(0),
    })
    .strict()
    .refine((g) => g.tailBelow <= g.headAbove + 1, {
      message: 'tailBelow must not exceed headAbove + 1: a class cannot be both head and tail.',
      path: ['tailBelow'],
    }),
]);

export type FrequencyGrouping = z.infer<typeof frequencyGroupingSchema>;

export const DEFAULT_FREQUENCY_GROUPING: FrequencyGrouping = Object.freeze({ by: 'rank-terciles' });

/** The group of every class, in class order. */
export function frequencyGroupsOf(
  imageCounts: ArrayLike<number>,
  grouping: FrequencyGrouping = DEFAULT_FREQUENCY_GROUPING,
): FrequencyGroup[] {
  const checked = parseOrThrow(frequencyGroupingSchema, grouping, 'frequency grouping');
  const c = imageCounts.length;
  if (c === 0) throw new LtlabError('CONFIG.INVALID', 'Frequency groups need the image count of each class.');
  for (let k = 0; k < c; k++) {
    const n = imageCounts[k] as number;
    if (!Number.isInteger(n) || n < 0) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `imageCounts[${k}] is ${n}; expected a count of images (an integer >= 0).`,
        {
          fix: 'Pass the number of training images that contain each class, as @ltlab/datasets computes it.',
        },
      );
    }
  }
  if (checked.by === 'image-count') {
    return Array.from({ length: c }, (_, k) => {
      const n = imageCounts[k] as number;
      if (n > checked.headAbove) return 'head';
      if (n < checked.tailBelow) return 'tail';
      return 'body';
    });
  }
  const byFrequency = Array.from({ length: c }, (_, k) => k).sort(
    (a, b) => (imageCounts[b] as number) - (imageCounts[a] as number) || a - b,
  );
  const groups = new Array<FrequencyGroup>(c);
  byFrequency.forEach((cls, rank) => {
    groups[cls] = FREQUENCY_GROUPS[Math.floor((3 * rank) / c)] as FrequencyGroup;
  });
  return groups;
}

/** How many classes fall in each group. */
export function frequencyGroupSizes(
  imageCounts: ArrayLike<number>,
  grouping: FrequencyGrouping = DEFAULT_FREQUENCY_GROUPING,
): Record<FrequencyGroup, number> {
  const sizes: Record<FrequencyGroup, number> = { head: 0, body: 0, tail: 0 };
  for (const g of frequencyGroupsOf(imageCounts, grouping)) sizes[g]++;
  return sizes;
}
