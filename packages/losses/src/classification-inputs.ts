import type * as tf from '@tensorflow/tfjs-core';
import { dim, expectShape } from './loss-definition.js';

/** The shared inputs of the classification losses; `null` for absent optional ones. */
export interface ClassificationInputs {
  readonly logits: tf.Tensor;
  readonly labels: tf.Tensor;
  readonly classCounts?: tf.Tensor | null;
  readonly classWeights?: tf.Tensor | null;
}

/** Checks logits [B, C], labels [B] and the optional per-class vectors [C]; returns B and C. */
export function checkClassification(loss: string, inputs: ClassificationInputs): { batch: number; classes: number } {
  expectShape(loss, 'logits', inputs.logits, [null, null]);
  const batch = dim(inputs.logits, 0);
  const classes = dim(inputs.logits, 1);
  expectShape(loss, 'labels', inputs.labels, [batch]);
  if (inputs.classCounts) expectShape(loss, 'classCounts', inputs.classCounts, [classes]);
  if (inputs.classWeights) expectShape(loss, 'classWeights', inputs.classWeights, [classes]);
  return { batch, classes };
}
