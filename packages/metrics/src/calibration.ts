import { LtlabError } from '@ltlab/core';
import { checkLabels, rowMax, rowsOf, type ScoreMatrix } from './inputs.js';

export interface CalibrationBin {
  /** Upper edge of the confidence interval (lower, upper]. */
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface Calibration {
  /** sum_b (|B_b| / N) * |acc(B_b) - conf(B_b)| */
  ece: number;
  bins: CalibrationBin[];
}

/**
 * Expected calibration error (Guo et al., ICML 2017, eq. 3) with `numBins` equal-width confidence
 * bins (lower, upper]. Confidence = max softmax probability. `scores` are probabilities, or logits
 * when `fromLogits` (softmax taken here, in float64 with the max shift).
 */
export function expectedCalibrationError(
  scores: ScoreMatrix,
  labels: ArrayLike<number>,
  options: { numBins?: number; fromLogits?: boolean } = {},
): Calibration {
  const numBins = options.numBins ?? 15;
  if (!Number.isInteger(numBins) || numBins < 1) {
    throw new LtlabError('CONFIG.INVALID', `numBins must be a positive integer, got ${numBins}.`);
  }
  const n = rowsOf(scores);
  if (labels.length !== n) {
    throw new LtlabError('CONFIG.INVALID', `expectedCalibrationError: ${n} score rows but ${labels.length} labels.`);
  }
  checkLabels(labels, scores.numClasses);
  const { data, numClasses } = scores;
  const count = new Float64Array(numBins);
  const confSum = new Float64Array(numBins);
  const hitSum = new Float64Array(numBins);
  for (let r = 0; r < n; r++) {
    const base = r * numClasses;
    const { index: best, value: bestValue } = rowMax(scores, r);
    let confidence = bestValue;
    if (options.fromLogits) {
      let denominator = 0;
      for (let c = 0; c < numClasses; c++) denominator += Math.exp((data[base + c] as number) - bestValue);
      confidence = 1 / denominator;
    }
    // Bin b holds (b/numBins, (b+1)/numBins]; confidence 0 falls in the first bin.
    const bin = Math.min(numBins - 1, Math.max(0, Math.ceil(confidence * numBins) - 1));
    count[bin] = (count[bin] as number) + 1;
    confSum[bin] = (confSum[bin] as number) + confidence;
    if (best === labels[r]) hitSum[bin] = (hitSum[bin] as number) + 1;
  }
  let ece = 0;
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const k = count[b] as number;
    const meanConfidence = k === 0 ? 0 : (confSum[b] as number) / k;
    const accuracy = k === 0 ? 0 : (hitSum[b] as number) / k;
    if (n > 0) ece += (k / n) * Math.abs(accuracy - meanConfidence);
    bins.push({ upper: (b + 1) / numBins, count: k, meanConfidence, accuracy });
  }
  return { ece, bins };
}
