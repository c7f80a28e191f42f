/**
 * The many / medium / few split of long-tailed evaluation (OLTR, Liu et al. CVPR 2019; the
 * `shot_acc` of the PaCo and classifier-balancing code): a class is **many**-shot when it has more
 * than 100 training images, **few**-shot when it has fewer than 20, and **medium** otherwise
 * (20..100 inclusive). This is the only place in ltlab that defines these numbers.
 */
export const SHOT_THRESHOLDS = Object.freeze({ many: 100, few: 20 });

export type ShotGroup = 'many' | 'medium' | 'few';

export const SHOT_GROUPS: readonly ShotGroup[] = ['many', 'medium', 'few'];

/** The group of a class with `trainCount` training images. */
export function shotGroupOf(trainCount: number, thresholds = SHOT_THRESHOLDS): ShotGroup {
  if (trainCount > thresholds.many) return 'many';
  if (trainCount < thresholds.few) return 'few';
  return 'medium';
}

/** How many classes fall in each group. */
export function shotGroupSizes(trainCounts: ArrayLike<number>): Record<ShotGroup, number> {
  const sizes: Record<ShotGroup, number> = { many: 0, medium: 0, few: 0 };
  for (let c = 0; c < trainCounts.length; c++) sizes[shotGroupOf(trainCounts[c] as number)]++;
  return sizes;
}
