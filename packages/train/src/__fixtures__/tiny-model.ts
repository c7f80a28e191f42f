import { type ClassificationRunConfigInput, classificationConfigOf, parseRunConfig } from '@ltlab/config';
import { getLoss } from '@ltlab/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { StepContext } from '../engine/parts/model-part.js';
import { TrainingModel } from '../engine/training-model.js';
import { tinyConfig } from './tiny-run-config.js';

/** Training images per class of the tiny models: 8 down to 2 over 10 classes. */
export const TINY_COUNTS = Int32Array.from([8, 7, 6, 5, 4, 4, 3, 3, 2, 2]);

/** The classification config of `tinyConfig` with `method` (and other fields) replaced. */
export function tinyClassificationConfig(overrides: Partial<ClassificationRunConfigInput>) {
  return classificationConfigOf(parseRunConfig(tinyConfig({ batchSize: 4, ...overrides })));
}

/** A resnet8 training model on 8 x 8 gray images for `method`, built as a run would build it. */
export function tinyModel(
  method: ClassificationRunConfigInput['method'],
  overrides: Partial<ClassificationRunConfigInput> = {},
) {
  const config = tinyClassificationConfig({ method, ...overrides });
  return TrainingModel.build({
    config,
    loss: getLoss(config.method.loss),
    numClasses: 10,
    classCounts: TINY_COUNTS,
    imageShape: [8, 8, 1],
  });
}

/** A step of 4 images with `views` views, seeded, labels 0 ... 3, for the config's first stage. */
export function tinyStep(
  method: ClassificationRunConfigInput['method'],
  options: { views?: number; stageEpoch?: number } = {},
): StepContext {
  const config = tinyClassificationConfig({ method });
  const views = Array.from({ length: options.views ?? 1 }, (_, i) =>
    tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 7 + i),
  ) as tf.Tensor4D[];
  return {
    batch: { views, labels: tf.tensor1d([0, 1, 2, 3], 'int32') },
    requires: getLoss(config.method.loss).requires,
    method: config.method,
    stageEpoch: options.stageEpoch ?? 0,
    training: true,
  };
}
