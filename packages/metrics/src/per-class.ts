import { checkLabels, checkSameLength } from './inputs.js';

export interface PerClassAccuracy {
  /** correct / support per class; NaN for a class absent from the labels. */
  accuracy: Float64Array;
  /** Number of test samples of each class. */
  support: Int32Array;
  /** Number of correct predictions of each class. */
  correct: Int32Array;
}

/** Accuracy of each class over the samples whose label is that class. */
export function perClassAccuracy(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): PerClassAccuracy {
  checkSameLength(predictions, labels, 'perClassAccuracy predictions and labels');
  checkLabels(labels, numClasses);
  checkLabels(predictions, numClasses, 'predictions');
  const support = new Int32Array(numClasses);
  const correct = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    support[y] = (support[y] as number) + 1;
    if (predictions[i] === y) correct[y] = (correct[y] as number) + 1;
  }
  const accuracy = new Float64Array(numClasses);
  for (let c = 0; c < numClasses; c++) {
    const s = support[c] as number;
    accuracy[c] = s === 0 ? Number.NaN : (correct[c] as number) / s;
  }
  return { accuracy, support, correct };
}

/** Mean over the classes present in the labels (balanced accuracy); 0 when none is present. */
export function meanClassAccuracy(perClass: PerClassAccuracy): number {
  let sum = 0;
  let count = 0;
  for (let c = 0; c < perClass.accuracy.length; c++) {
    if ((perClass.support[c] as number) === 0) continue;
    sum += perClass.accuracy[c] as number;
    count++;
  }
  return count === 0 ? 0 : sum / count;
}
