import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion-matrix.js';
import { perClassAccuracy } from './per-class.js';
import { PixelConfusion } from './pixel-confusion.js';
import { nanMean, segmentationScores } from './segmentation-scores.js';

describe('segmentationScores', () => {
  // 4 classes. Class 2 is only predicted (IoU 0, accuracy undefined); class 3 is predicted only on
  // an ignored pixel, so it is absent from both and its IoU is NaN, left out of mIoU.
  const labels = [0, 0, 0, 0, 1, 1, 1, 255, 255];
  const predictions = [0, 0, 0, 1, 1, 1, 2, 0, 3];
  const cm = new PixelConfusion({ numClasses: 4 }).add(predictions, labels);

  it('computes per-class IoU and accuracy, mIoU, aAcc and mAcc by hand', () => {
    const s = segmentationScores(cm);
    expect(Array.from(s.labelPixels)).toEqual([4, 3, 0, 0]);
    expect(Array.from(s.predictedPixels)).toEqual([3, 3, 1, 0]);
    // IoU_0 = 3 / (4 + 3 - 3); IoU_1 = 2 / (3 + 3 - 2); IoU_2 = 0 / (0 + 1 - 0).
    expect(s.perClassIoU[0]).toBeCloseTo(3 / 4, 12);
    expect(s.perClassIoU[1]).toBeCloseTo(1 / 2, 12);
    expect(s.perClassIoU[2]).toBe(0);
    expect(s.perClassIoU[3]).toBeNaN();
    expect(s.mIoU).toBeCloseTo((3 / 4 + 1 / 2 + 0) / 3, 12);
    expect(s.perClassAccuracy[0]).toBeCloseTo(3 / 4, 12);
    expect(s.perClassAccuracy[1]).toBeCloseTo(2 / 3, 12);
    expect(s.perClassAccuracy[2]).toBeNaN();
    expect(s.perClassAccuracy[3]).toBeNaN();
    expect(s.meanClassAccuracy).toBeCloseTo((3 / 4 + 2 / 3) / 2, 12);
    // 5 correct of 7 labelled pixels; the 2 ignored pixels are in neither count.
    expect(s.pixelAccuracy).toBeCloseTo(5 / 7, 12);
  });

  it('does not let a prediction on an ignored pixel make its class present', () => {
    // The same predictions with the two ignored pixels labelled 0 instead: class 3 is now a false
    // positive, IoU 0, and it counts in mIoU.
    const labelled = new PixelConfusion({ numClasses: 4 }).add(predictions, [0, 0, 0, 0, 1, 1, 1, 0, 0]);
    const s = segmentationScores(labelled);
    expect(s.perClassIoU[3]).toBe(0);
    // IoU_0 = 4 / (6 + 4 - 4).
    expect(s.mIoU).toBeCloseTo((4 / 6 + 1 / 2 + 0 + 0) / 4, 12);
  });

  it('is 1 everywhere for a perfect prediction and NaN with no labelled pixel', () => {
    const perfect = segmentationScores(new PixelConfusion({ numClasses: 3 }).add([0, 1, 2, 2], [0, 1, 2, 2]));
    expect(Array.from(perfect.perClassIoU)).toEqual([1, 1, 1]);
    expect([perfect.mIoU, perfect.pixelAccuracy, perfect.meanClassAccuracy]).toEqual([1, 1, 1]);
    const empty = segmentationScores(new PixelConfusion({ numClasses: 2 }).add([0, 1], [255, 255]));
    expect(empty.mIoU).toBeNaN();
    expect(empty.pixelAccuracy).toBeNaN();
    expect(empty.meanClassAccuracy).toBeNaN();
  });

  it('agrees with the classification per-class accuracy on a plain confusion matrix', () => {
    const y = [0, 0, 0, 1, 1, 3];
    const p = [0, 1, 0, 1, 1, 0];
    const s = segmentationScores(confusionMatrix(p, y, 4));
    const acc = perClassAccuracy(p, y, 4).accuracy;
    for (let c = 0; c < 4; c++) {
      if (Number.isNaN(acc[c] as number)) expect(s.perClassAccuracy[c]).toBeNaN();
      else expect(s.perClassAccuracy[c]).toBeCloseTo(acc[c] as number, 12);
    }
    expect(s.pixelAccuracy).toBeCloseTo(4 / 6, 12);
  });

  it('rejects counts that are not C x C', () => {
    expect(() => segmentationScores({ numClasses: 3, counts: [1, 2, 3, 4] })).toThrow(/3 x 3 counts, got 4/);
  });

  it('takes the mean over the values that are not NaN', () => {
    expect(nanMean([1, Number.NaN, 0])).toBe(0.5);
    expect(nanMean([Number.NaN])).toBeNaN();
  });
});
