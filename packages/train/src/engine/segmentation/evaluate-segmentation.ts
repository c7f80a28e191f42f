import { resizeBilinear } from '@ltlab/backbones';
import { LtlabError } from '@ltlab/core';
import { SegmentationBatchLoader, type SegmentationSource } from '@ltlab/datasets';
import { PixelConfusion, type SegmentationEvaluation, summarizeSegmentation } from '@ltlab/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { TaskEvaluation } from '../training-task.js';

/** What evaluation needs of a model: evaluation-mode logits at the input size, and its resize mode. */
export interface SegmentationPredictor {
  predict(images: tf.Tensor4D): tf.Tensor4D;
  readonly alignCorners: boolean;
}

export interface SegmentationEvaluationOptions {
  /** The test pipeline (no random steps, no pad: whole-image inference). */
  pipeline: unknown;
  batchSize: number;
  /** Score against the stored label maps, the logits resized to them (mmsegmentation). */
  originalLabels: boolean;
  /** Training images per class (the head/body/tail groups). */
  imageCounts: ArrayLike<number>;
  /** What the split is, for messages (`test`). */
  split: string;
}

/**
 * Scores a segmentation model on a split as mmsegmentation's `mean_iou` does (docs/segmentation.md
 * "Metrics"): evaluation-mode logits of each image, bilinearly resized to the label size (the
 * model's align_corners), argmax over classes, accumulated into one pixel confusion over the whole
 * split (ignored pixels out), then mIoU, per-class IoU and accuracy, pixel accuracy and
 * head/body/tail IoU by training image counts, with the confusion kept.
 */
export async function evaluateSegmentation(
  model: SegmentationPredictor,
  source: SegmentationSource,
  options: SegmentationEvaluationOptions,
): Promise<SegmentationEvaluation> {
  const order = Int32Array.from({ length: source.size }, (_, i) => i);
  const loader = new SegmentationBatchLoader(source, {
    batchSize: options.batchSize,
    workers: 0,
    sampler: { indices: () => order },
    transform: options.pipeline,
    originalLabels: options.originalLabels,
  });
  const confusion = new PixelConfusion({ numClasses: source.numClasses });
  try {
    for await (const batch of loader.epoch(0)) {
      const [, height, width] = batch.labelShape;
      const predictions = tf.tidy(() => {
        const logits = model.predict(tf.tensor4d(batch.images, batch.shape));
        const sized =
          logits.shape[1] === height && logits.shape[2] === width
            ? logits
            : resizeBilinear(logits, [height, width], { alignCorners: model.alignCorners });
        return tf.argMax(sized, -1);
      });
      try {
        // Read asynchronously: a GPU backend (webgpu in Node) cannot read synchronously.
        await confusion.addAsync(predictions, batch.labels, {
          what: `${options.split} images ${batch.start}..${batch.start + batch.indices.length - 1}`,
        });
      } finally {
        predictions.dispose();
      }
    }
  } finally {
    await loader.close();
  }
  return summarizeSegmentation(confusion, { imageCounts: options.imageCounts, includeConfusion: true });
}

/**
 * A segmentation evaluation as the training loop reports it: the scores in the `eval` event's
 * `segmentation` block, the pixel accuracy as its `top1` (the top-1 accuracy of the labelled
 * pixels), and the values best checkpoints can be chosen by.
 */
export function segmentationTaskEvaluation(scores: SegmentationEvaluation, split: string): TaskEvaluation {
  const top1 = scores.pixelAccuracy;
  if (top1 === null) {
    throw new LtlabError('DATA.MISSING', `The ${split} split has no labelled pixel: every pixel is the ignore index.`, {
      fix: 'Check the label maps of the split (and the label mapping, e.g. reduce-zero-label for ADE20K).',
    });
  }
  const metrics = { top1, top5: null, many: null, medium: null, few: null };
  const groups = scores.frequencyGroups;
  return {
    evaluation: { ...metrics, perClassAccuracy: [], confusion: [], segmentation: scores },
    event: { metrics, perClassAccuracy: [], trainCounts: [], confusion: null, segmentation: scores },
    values: {
      mIoU: scores.mIoU,
      aAcc: scores.pixelAccuracy,
      mAcc: scores.meanClassAccuracy,
      headIoU: groups.head,
      bodyIoU: groups.body,
      tailIoU: groups.tail,
    },
  };
}
