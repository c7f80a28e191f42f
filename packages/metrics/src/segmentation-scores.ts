import { LtlabError } from '@ltlab/core';

/** A `C x C` pixel confusion (rows = label, columns = prediction): a `PixelConfusion` or a stored one. */
export interface PixelConfusionCounts {
  numClasses: number;
  counts: ArrayLike<number>;
}

export interface SegmentationScores {
  /** TP / (TP + FP + FN) per class; NaN for a class absent from both labels and predictions. */
  perClassIoU: Float64Array;
  /** TP / label pixels per class; NaN for a class absent from the labels. */
  perClassAccuracy: Float64Array;
  /** Pixels labelled with each class (row sums). */
  labelPixels: Float64Array;
  /** Pixels predicted as each class, over labelled pixels only (column sums). */
  predictedPixels: Float64Array;
  /** Mean of the per-class IoUs that are not NaN; NaN when every one is. */
  mIoU: number;
  /** Correct pixels / labelled pixels (mmseg `aAcc`); NaN with no labelled pixel. */
  pixelAccuracy: number;
  /** Mean of the per-class accuracies that are not NaN (mmseg `mAcc`); NaN when every one is. */
  meanClassAccuracy: number;
}

/**
 * The scores of mmseg's `mean_iou` / `eval_metrics` (mmseg 0.17, `mmseg/core/evaluation/metrics.py`)
 * from the totals over the whole evaluation set; IoU is the PASCAL VOC segmentation measure
 * (Everingham et al., IJCV 2010), TP / (TP + FP + FN). Per class c, with TP the diagonal:
 * IoU_c = TP_c / (label_c + predicted_c − TP_c) and Acc_c = TP_c / label_c. A class in neither the
 * labels nor the predictions has IoU NaN and is left out of the mean (`np.nanmean`); a class only
 * predicted has IoU 0 and counts. docs/segmentation.md "Metrics".
 */
export function segmentationScores(confusion: PixelConfusionCounts): SegmentationScores {
  const { numClasses: c, counts } = confusion;
  if (!Number.isInteger(c) || c < 1 || counts.length !== c * c) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `A pixel confusion of ${c} classes needs ${c} x ${c} counts, got ${counts.length}.`,
    );
  }
  const labelPixels = new Float64Array(c);
  const predictedPixels = new Float64Array(c);
  let correct = 0;
  for (let row = 0; row < c; row++) {
    for (let col = 0; col < c; col++) {
      const n = counts[row * c + col] as number;
      labelPixels[row] = (labelPixels[row] as number) + n;
      predictedPixels[col] = (predictedPixels[col] as number) + n;
      if (row === col) correct += n;
    }
  }
  const perClassIoU = new Float64Array(c);
  const perClassAccuracy = new Float64Array(c);
  let total = 0;
  for (let k = 0; k < c; k++) {
    const tp = counts[k * c + k] as number;
    const label = labelPixels[k] as number;
    const union = label + (predictedPixels[k] as number) - tp;
    perClassIoU[k] = union === 0 ? Number.NaN : tp / union;
    perClassAccuracy[k] = label === 0 ? Number.NaN : tp / label;
    total += label;
  }
  return {
    perClassIoU,
    perClassAccuracy,
    labelPixels,
    predictedPixels,
    mIoU: nanMean(perClassIoU),
    pixelAccuracy: total === 0 ? Number.NaN : correct / total,
    meanClassAccuracy: nanMean(perClassAccuracy),
  };
}

/** The mean of the values that are not NaN; NaN when there is none (as `np.nanmean`). */
export function nanMean(values: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}
