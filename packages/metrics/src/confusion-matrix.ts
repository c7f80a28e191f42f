import { checkLabels, checkSameLength } from './inputs.js';

/** Counts with rows = true class and columns = predicted class, row-major `C x C`. */
export interface ConfusionMatrix {
  numClasses: number;
  counts: Int32Array;
}

export function confusionMatrix(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): ConfusionMatrix {
  checkSameLength(predictions, labels, 'confusionMatrix predictions and labels');
  checkLabels(labels, numClasses);
  checkLabels(predictions, numClasses, 'predictions');
  const counts = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const cell = (labels[i] as number) * numClasses + (predictions[i] as number);
    counts[cell] = (counts[cell] as number) + 1;
  }
  return { numClasses, counts };
}
