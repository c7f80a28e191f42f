import { LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { frequencyGroupIoU } from './frequency-group-iou.js';
import {
  DEFAULT_FREQUENCY_GROUPING,
  FREQUENCY_GROUPS,
  type FrequencyGroup,
  type FrequencyGrouping,
  frequencyGroupingSchema,
  frequencyGroupsOf,
} from './frequency-groups.js';
import { type PixelConfusionCounts, segmentationScores } from './segmentation-scores.js';

const fraction = z.number().min(0).max(1);
/** JSON has no NaN: an undefined score (absent class, empty group) is stored as null. */
const score = fraction.nullable();
const count = z.number().int().min(0);

/**
 * One segmentation evaluation as stored with a run and drawn by the dashboard (per-class IoU
 * against `imageCounts`, as per-class accuracy against training counts). Scores are fractions in
 * [0, 1], not percentages. docs/segmentation.md "Metrics".
 */
export const segmentationEvaluationSchema = z
  .object({
    numClasses: z.number().int().min(1),
    ignoreIndex: z.number().int(),
    /** Pixels labelled with a class, the denominator of `pixelAccuracy`. */
    countedPixels: count,
    /** Pixels labelled with the ignore index, left out of every score. */
    ignoredPixels: count,
    mIoU: score,
    pixelAccuracy: score,
    meanClassAccuracy: score,
    /** Null for a class absent from both labels and predictions (left out of mIoU). */
    perClassIoU: z.array(score),
    /** Null for a class absent from the labels. */
    perClassAccuracy: z.array(score),
    /** Evaluation pixels labelled with each class. */
    labelPixels: z.array(count),
    /** Training images containing each class: what the groups are made from. */
    imageCounts: z.array(count),
    frequencyGroups: z.object({
      grouping: frequencyGroupingSchema,
      /** Null when no class of the group has a defined IoU. */
      head: score,
      body: score,
      tail: score,
      classesEvaluated: z.object({ head: count, body: count, tail: count }),
      /** The group of each class, in class order. */
      classGroups: z.array(z.enum(FREQUENCY_GROUPS as [FrequencyGroup, ...FrequencyGroup[]])),
    }),
    /** The pixel confusion (rows = label, columns = prediction), when the evaluation kept it. */
    confusion: z.array(z.array(count)).optional(),
  })
  .superRefine((value, ctx) => {
    const c = value.numClasses;
    const perClass = ['perClassIoU', 'perClassAccuracy', 'labelPixels', 'imageCounts'] as const;
    for (const key of perClass) {
      if (value[key].length !== c) ctx.addIssue({ code: 'custom', path: [key], message: `needs ${c} entries` });
    }
    const groups = value.frequencyGroups;
    if (groups.classGroups.length !== c) {
      ctx.addIssue({ code: 'custom', path: ['frequencyGroups', 'classGroups'], message: `needs ${c} entries` });
    }
    if (
      value.confusion !== undefined &&
      (value.confusion.length !== c || value.confusion.some((r) => r.length !== c))
    ) {
      ctx.addIssue({ code: 'custom', path: ['confusion'], message: `needs ${c} x ${c} counts` });
    }
    if (ctx.issues.length > 0) return;
    if (value.labelPixels.reduce((a, b) => a + b, 0) !== value.countedPixels) {
      ctx.addIssue({ code: 'custom', path: ['countedPixels'], message: 'differs from the sum of labelPixels' });
    }
    value.perClassAccuracy.forEach((acc, k) => {
      if ((acc === null) !== (value.labelPixels[k] === 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['perClassAccuracy', k],
          message: 'must be null exactly when the class has no labelled pixel',
        });
      }
    });
    const expected = frequencyGroupsOf(value.imageCounts, groups.grouping);
    if (expected.some((g, k) => groups.classGroups[k] !== g)) {
      ctx.addIssue({
        code: 'custom',
        path: ['frequencyGroups', 'classGroups'],
        message: 'differs from the groups of imageCounts under this grouping',
      });
    }
    const evaluated: Record<FrequencyGroup, number> = { head: 0, body: 0, tail: 0 };
    value.perClassIoU.forEach((iou, k) => {
      const group = groups.classGroups[k];
      if (iou !== null && group !== undefined) evaluated[group]++;
    });
    for (const g of FREQUENCY_GROUPS) {
      if (groups.classesEvaluated[g] !== evaluated[g]) {
        ctx.addIssue({
          code: 'custom',
          path: ['frequencyGroups', 'classesEvaluated', g],
          message: `is ${groups.classesEvaluated[g]} but ${evaluated[g]} classes of the group have an IoU`,
        });
      }
    }
  });

export type SegmentationEvaluation = z.infer<typeof segmentationEvaluationSchema>;

/** What the summary reads from a `PixelConfusion` (a stored matrix with its ignore bookkeeping fits too). */
export interface EvaluatedPixelConfusion extends PixelConfusionCounts {
  ignoreIndex: number;
  ignoredPixels: number;
}

/**
 * The stored form of an evaluation from its accumulated pixel confusion: mIoU, pixel accuracy,
 * mean class accuracy, per-class IoU and accuracy, and head / body / tail IoU grouped by
 * `imageCounts` (`grouping`, terciles by default). NaN scores become null.
 */
export function summarizeSegmentation(
  confusion: EvaluatedPixelConfusion,
  options: { imageCounts: ArrayLike<number>; grouping?: FrequencyGrouping; includeConfusion?: boolean },
): SegmentationEvaluation {
  const { imageCounts, grouping = DEFAULT_FREQUENCY_GROUPING, includeConfusion = false } = options;
  const c = confusion.numClasses;
  if (imageCounts.length !== c) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `summarizeSegmentation: ${imageCounts.length} image counts for ${c} classes.`,
      {
        fix: 'Pass one training image count per class, in class order.',
      },
    );
  }
  const scores = segmentationScores(confusion);
  const groups = frequencyGroupIoU({ confusion, imageCounts, grouping });
  const nullIfNaN = (x: number) => (Number.isNaN(x) ? null : x);
  const result: SegmentationEvaluation = {
    numClasses: c,
    ignoreIndex: confusion.ignoreIndex,
    countedPixels: scores.labelPixels.reduce((a, b) => a + b, 0),
    ignoredPixels: confusion.ignoredPixels,
    mIoU: nullIfNaN(scores.mIoU),
    pixelAccuracy: nullIfNaN(scores.pixelAccuracy),
    meanClassAccuracy: nullIfNaN(scores.meanClassAccuracy),
    perClassIoU: Array.from(scores.perClassIoU, nullIfNaN),
    perClassAccuracy: Array.from(scores.perClassAccuracy, nullIfNaN),
    labelPixels: Array.from(scores.labelPixels),
    imageCounts: Array.from(imageCounts),
    frequencyGroups: {
      grouping,
      head: nullIfNaN(groups.head),
      body: nullIfNaN(groups.body),
      tail: nullIfNaN(groups.tail),
      classesEvaluated: groups.classesEvaluated,
      classGroups: frequencyGroupsOf(imageCounts, grouping),
    },
  };
  if (includeConfusion) {
    result.confusion = Array.from({ length: c }, (_, r) =>
      Array.from({ length: c }, (_, k) => confusion.counts[r * c + k] as number),
    );
  }
  return result;
}

/** Validates a stored evaluation (from the store, an event, a file); CONFIG.INVALID lists every bad field. */
export function parseSegmentationEvaluation(value: unknown, what = 'segmentation evaluation'): SegmentationEvaluation {
  return parseOrThrow(segmentationEvaluationSchema, value, what);
}
