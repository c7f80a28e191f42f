import { LtlabError } from '@ltlab/core';
import { checkSameLength } from './inputs.js';
import { perClassAccuracy } from './per-class.js';
import { type ShotGroup, shotGroupOf } from './shot-thresholds.js';

export interface ShotAccuracy {
  many: number;
  medium: number;
  few: number;
  /** Plain top-1 over all samples. */
  overall: number;
  /** Number of classes present in the test labels in each group (the classes averaged). */
  classesEvaluated: Record<ShotGroup, number>;
}

/**
 * Many / medium / few-shot accuracy (`shot_acc` of the OLTR / PaCo code): each group score is the
 * mean of per-class accuracies over the group's classes that are present in the test labels; an
 * empty group reports 0. Groups come from the training counts (`SHOT_THRESHOLDS`).
 */
export function shotAccuracy(input: {
  predictions: ArrayLike<number>;
  labels: ArrayLike<number>;
  trainCounts: ArrayLike<number>;
}): ShotAccuracy {
  const { predictions, labels, trainCounts } = input;
  checkSameLength(predictions, labels, 'shotAccuracy predictions and labels');
  const numClasses = trainCounts.length;
  if (numClasses === 0) throw new LtlabError('CONFIG.INVALID', 'shotAccuracy needs the training count of each class.');
  const perClass = perClassAccuracy(predictions, labels, numClasses);
  const sums: Record<ShotGroup, number> = { many: 0, medium: 0, few: 0 };
  const classesEvaluated: Record<ShotGroup, number> = { many: 0, medium: 0, few: 0 };
  for (let c = 0; c < numClasses; c++) {
    if ((perClass.support[c] as number) === 0) continue;
    const group = shotGroupOf(trainCounts[c] as number);
    sums[group] += perClass.accuracy[c] as number;
    classesEvaluated[group]++;
  }
  const mean = (g: ShotGroup) => (classesEvaluated[g] === 0 ? 0 : sums[g] / classesEvaluated[g]);
  let correct = 0;
  for (let c = 0; c < numClasses; c++) correct += perClass.correct[c] as number;
  return {
    many: mean('many'),
    medium: mean('medium'),
    few: mean('few'),
    overall: labels.length === 0 ? 0 : correct / labels.length,
    classesEvaluated,
  };
}
