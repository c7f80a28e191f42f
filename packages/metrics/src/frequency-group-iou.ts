import { LtlabError } from '@ltlab/core';
import {
  DEFAULT_FREQUENCY_GROUPING,
  type FrequencyGroup,
  type FrequencyGrouping,
  frequencyGroupsOf,
} from './frequency-groups.js';
import { type PixelConfusionCounts, segmentationScores } from './segmentation-scores.js';

/** Shaped as `ShotAccuracy` (many / medium / few, overall, classesEvaluated). */
export interface FrequencyGroupIoU {
  head: number;
  body: number;
  tail: number;
  /** mIoU over all classes. */
  overall: number;
  /** Classes of each group whose IoU is defined (present in the labels or the predictions): those averaged. */
  classesEvaluated: Record<FrequencyGroup, number>;
}

/**
 * Head / body / tail IoU: each the mean of the per-class IoUs of the group's classes, leaving out
 * classes absent from both labels and predictions, as mIoU does (so `overall` is the mean of the
 * three weighted by `classesEvaluated`). Unlike `shotAccuracy`, which reports 0 for a group with
 * no class (the reference code's choice), an empty group is NaN here: a 0 would read as a score.
 */
export function frequencyGroupIoU(input: {
  confusion: PixelConfusionCounts;
  /** Training images containing each class. */
  imageCounts: ArrayLike<number>;
  grouping?: FrequencyGrouping;
}): FrequencyGroupIoU {
  const { confusion, imageCounts, grouping = DEFAULT_FREQUENCY_GROUPING } = input;
  if (imageCounts.length !== confusion.numClasses) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `frequencyGroupIoU: ${imageCounts.length} image counts for ${confusion.numClasses} classes.`,
      { fix: 'Pass one training image count per class, in class order.' },
    );
  }
  const scores = segmentationScores(confusion);
  const groups = frequencyGroupsOf(imageCounts, grouping);
  const sums: Record<FrequencyGroup, number> = { head: 0, body: 0, tail: 0 };
  const classesEvaluated: Record<FrequencyGroup, number> = { head: 0, body: 0, tail: 0 };
  groups.forEach((group, k) => {
    const iou = scores.perClassIoU[k] as number;
    if (Number.isNaN(iou)) return;
    sums[group] += iou;
    classesEvaluated[group]++;
  });
  const mean = (g: FrequencyGroup) => (classesEvaluated[g] === 0 ? Number.NaN : sums[g] / classesEvaluated[g]);
  return { head: mean('head'), body: mean('body'), tail: mean('tail'), overall: scores.mIoU, classesEvaluated };
}
