import type { FrequencyGroup, PerClassRun } from './long-tail-overlay.js';

/**
 * The part of a stored segmentation evaluation (@ltlab/metrics' `SegmentationEvaluation`, kept
 * as JSON by the store) the pages read. Scores are fractions; null where undefined (an absent
 * class, a group without an IoU).
 */
export interface SegmentationResult {
  numClasses: number;
  mIoU: number | null;
  pixelAccuracy: number | null;
  meanClassAccuracy: number | null;
  perClassIoU: Array<number | null>;
  /** Training images containing each class: the class frequency the groups come from. */
  imageCounts: number[];
  frequencyGroups: {
    head: number | null;
    body: number | null;
    tail: number | null;
    classGroups: FrequencyGroup[];
  };
  /** The pixel confusion (rows = label, columns = prediction), when the evaluation kept it. */
  confusion?: number[][];
}

/** What these functions read of an evaluation (the pages' `Evaluation`; this file stays free of the fetch code). */
interface EvaluationLike {
  split: string;
  epoch: number;
  segmentation?: SegmentationResult | null;
}

/** The latest segmentation evaluation of each split, as the run page's score table lists them. */
export interface SegmentationScoreRow {
  split: string;
  epoch: number;
  mIoU: number | null;
  /** Pixel accuracy (mmsegmentation's aAcc). */
  aAcc: number | null;
  /** Mean class accuracy (mAcc). */
  mAcc: number | null;
  headIoU: number | null;
  bodyIoU: number | null;
  tailIoU: number | null;
}

export function isSegmentationEvaluation<E extends EvaluationLike>(
  evaluation: E,
): evaluation is E & { segmentation: SegmentationResult } {
  return evaluation.segmentation !== undefined && evaluation.segmentation !== null;
}

/** One row per evaluation that carries a segmentation block, in the order given. */
export function segmentationScoreRows(evaluations: readonly EvaluationLike[]): SegmentationScoreRow[] {
  return evaluations.filter(isSegmentationEvaluation).map(({ split, epoch, segmentation: s }) => ({
    split,
    epoch,
    mIoU: s.mIoU,
    aAcc: s.pixelAccuracy,
    mAcc: s.meanClassAccuracy,
    headIoU: s.frequencyGroups.head,
    bodyIoU: s.frequencyGroups.body,
    tailIoU: s.frequencyGroups.tail,
  }));
}

/**
 * Per-class IoU against the training images containing each class, coloured by the class's
 * head / body / tail group: the run page's per-class chart for a segmentation evaluation.
 */
export function iouVsFrequencyRun(
  name: string,
  result: SegmentationResult,
  classNames: readonly string[],
): PerClassRun {
  return {
    name,
    scores: result.perClassIoU,
    trainCounts: result.imageCounts,
    classNames,
    groups: result.frequencyGroups.classGroups,
  };
}

/** How many classes each group holds, and how many of them the chart can place (an IoU and a count above 0). */
export function frequencyGroupSizes(
  result: SegmentationResult,
): Record<FrequencyGroup, { classes: number; drawn: number }> {
  const sizes = { head: { classes: 0, drawn: 0 }, body: { classes: 0, drawn: 0 }, tail: { classes: 0, drawn: 0 } };
  result.frequencyGroups.classGroups.forEach((group, c) => {
    sizes[group].classes += 1;
    if (result.perClassIoU[c] !== null && (result.imageCounts[c] ?? 0) > 0) sizes[group].drawn += 1;
  });
  return sizes;
}
