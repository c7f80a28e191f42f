import type { DatasetSource } from '@ltlab/datasets';
import { BatchLoader } from '@ltlab/datasets';
import type { SegmentationEvaluation } from '@ltlab/metrics';
import { argmaxRows, confusionMatrix, perClassAccuracy, shotAccuracy, topKAccuracy } from '@ltlab/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingModel } from './training-model.js';

export interface Evaluation {
  top1: number;
  /** Null with fewer than 5 classes. */
  top5: number | null;
  /** Null when no test class falls in the group (e.g. fmnist-lt has no few-shot class). */
  many: number | null;
  medium: number | null;
  few: number | null;
  perClassAccuracy: number[];
  confusion: number[][];
  /**
   * A segmentation evaluation's scores (docs/segmentation.md "Metrics"); then `top1` is its pixel
   * accuracy, the other shot scores are null and the per-class lists are empty.
   */
  segmentation?: SegmentationEvaluation;
}

/** The test set in eval mode (BN running statistics, no augmentation), scored by @ltlab/metrics. */
export async function evaluate(
  model: TrainingModel,
  test: DatasetSource,
  options: { pipeline: unknown; batchSize: number; trainCounts: ArrayLike<number> },
): Promise<Evaluation> {
  const numClasses = test.numClasses;
  const order = Int32Array.from({ length: test.size }, (_, i) => i);
  const loader = new BatchLoader(test, {
    batchSize: options.batchSize,
    workers: 0,
    sampler: { indices: () => order },
    transform: options.pipeline,
  });
  const scores = new Float32Array(test.size * numClasses);
  const labels = new Int32Array(test.size);
  try {
    for await (const batch of loader.epoch(0)) {
      const logits = tf.tidy(() => model.predict(tf.tensor4d(batch.views[0] as Float32Array, batch.shape)));
      try {
        // Read asynchronously: a GPU backend (webgpu in Node) cannot read synchronously.
        scores.set(await logits.data(), batch.start * numClasses);
      } finally {
        logits.dispose();
      }
      labels.set(batch.labels, batch.start);
    }
  } finally {
    await loader.close();
  }
  const matrix = { data: scores, numClasses };
  const predictions = argmaxRows(matrix);
  const shots = shotAccuracy({ predictions, labels, trainCounts: options.trainCounts });
  const confusion = confusionMatrix(predictions, labels, numClasses);
  return {
    top1: topKAccuracy(matrix, labels, 1),
    top5: numClasses >= 5 ? topKAccuracy(matrix, labels, 5) : null,
    // shotAccuracy reports 0 for an empty group, as the reference code; a 0 would read as a score.
    many: shots.classesEvaluated.many === 0 ? null : shots.many,
    medium: shots.classesEvaluated.medium === 0 ? null : shots.medium,
    few: shots.classesEvaluated.few === 0 ? null : shots.few,
    perClassAccuracy: Array.from(perClassAccuracy(predictions, labels, numClasses).accuracy),
    confusion: Array.from({ length: numClasses }, (_, r) =>
      Array.from(confusion.counts.subarray(r * numClasses, (r + 1) * numClasses)),
    ),
  };
}

/** The first `perClass` test images of every class, in dataset order. */
export function firstPerClass(source: DatasetSource, perClass: number): DatasetSource {
  const taken = new Int32Array(source.numClasses);
  const keep: number[] = [];
  source.labels.forEach((label, index) => {
    if ((taken[label] as number) < perClass) {
      taken[label] = (taken[label] as number) + 1;
      keep.push(index);
    }
  });
  return source.subset(keep);
}
