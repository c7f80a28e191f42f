import { SegmentationPixelSource } from '@ltlab/datasets';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSegmentation, segmentationTaskEvaluation } from './evaluate-segmentation.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

/**
 * Two 2 x 2 one-channel images, 3 classes. Each image pixel holds the class a test model predicts
 * there; the labels hold the truth (255: ignored).
 */
const PREDICTED = [0, 2, 2, 1, 1, 0, 0, 2];
const LABELS = [0, 1, 2, 255, 1, 1, 0, 2];
const source = SegmentationPixelSource.fromArrays(
  Uint8Array.from(PREDICTED),
  Uint8Array.from(LABELS),
  { count: 2, height: 2, width: 2, channels: 1 },
  { numClasses: 3, description: 'hand pairs' },
);

/** Logits that put all mass on the class written in the pixel (the empty pipeline scales by 1/255). */
const pixelClassModel = {
  alignCorners: false,
  predict: (x: tf.Tensor4D) =>
    tf.tidy(
      () =>
        tf.cast(tf.oneHot(tf.cast(tf.round(tf.squeeze(tf.mul(x, 255), [3])), 'int32'), 3), 'float32') as tf.Tensor4D,
    ),
};
/** Logits at 1 x 1 favouring class 1: resized to the label size before the argmax. */
const coarseModel = {
  alignCorners: false,
  predict: (x: tf.Tensor4D) => tf.tidy(() => tf.tile(tf.tensor4d([0, 1, 0], [1, 1, 1, 3]), [x.shape[0], 1, 1, 1])),
};

const options = { pipeline: [], batchSize: 2, originalLabels: false, imageCounts: [10, 5, 1], split: 'test' };

describe('evaluateSegmentation', () => {
  it('accumulates one pixel confusion over the split and scores it (hand computation)', async () => {
    const before = tf.memory().numTensors;
    const scores = await evaluateSegmentation(pixelClassModel, source, { ...options, batchSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
    // label -> prediction over the 7 labelled pixels: 0->0 x2; 1->2, 1->1, 1->0; 2->2 x2.
    expect(scores.confusion).toEqual([
      [2, 0, 0],
      [1, 1, 1],
      [0, 0, 2],
    ]);
    expect(scores.ignoredPixels).toBe(1);
    // IoU = TP / (L + P - TP): 2 / (2 + 3 - 2), 1 / (3 + 1 - 1), 2 / (2 + 3 - 2).
    const iou = [2 / 3, 1 / 3, 2 / 3];
    scores.perClassIoU.forEach((v, c) => {
      expect(v).toBeCloseTo(iou[c] as number, 12);
    });
    expect(scores.mIoU).toBeCloseTo(5 / 9, 12);
    expect(scores.pixelAccuracy).toBeCloseTo(5 / 7, 12);
    // Image counts 10, 5, 1: one class per tercile.
    expect(scores.frequencyGroups).toMatchObject({ head: 2 / 3, body: 1 / 3, tail: 2 / 3 });
    // The same with both images in one batch.
    expect(await evaluateSegmentation(pixelClassModel, source, options)).toEqual(scores);
  });

  it('resizes coarse logits to the label size before the argmax', async () => {
    const scores = await evaluateSegmentation(coarseModel, source, options);
    // Every labelled pixel predicted 1: IoU_1 = 3 / (3 + 7 - 3); classes 0 and 2 labelled, never predicted: 0.
    expect(scores.perClassIoU).toEqual([0, 3 / 7, 0]);
    expect(scores.mIoU).toBeCloseTo(1 / 7, 12);
  });

  it("reports the pixel accuracy as the event's top-1 and the scores a best checkpoint is chosen by", async () => {
    const scores = await evaluateSegmentation(pixelClassModel, source, options);
    const reported = segmentationTaskEvaluation(scores, 'test');
    expect(reported.event.metrics).toEqual({ top1: 5 / 7, top5: null, many: null, medium: null, few: null });
    expect(reported.event.segmentation).toBe(scores);
    expect(reported.event.perClassAccuracy).toEqual([]);
    expect(reported.values).toEqual({
      mIoU: scores.mIoU,
      aAcc: 5 / 7,
      mAcc: scores.meanClassAccuracy,
      headIoU: 2 / 3,
      bodyIoU: 1 / 3,
      tailIoU: 2 / 3,
    });
    const unlabelled = { ...scores, pixelAccuracy: null };
    expect(() => segmentationTaskEvaluation(unlabelled, 'test')).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING' }),
    );
  });
});
