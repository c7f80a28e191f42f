import { describe, expect, it } from 'vitest';
import { frequencyGroupIoU } from './frequency-group-iou.js';
import { PixelConfusion } from './pixel-confusion.js';

describe('frequencyGroupIoU', () => {
  // 6 classes, 2 labelled pixels each. Counts: (0,0)=2 (1,1)=1 (1,0)=1 (2,2)=2 (3,3)=1 (3,5)=1
  // (4,4)=2 (5,1)=1 (5,5)=1, so IoU = [2/3, 1/3, 1, 1/2, 1, 1/3].
  const labels = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5];
  const predictions = [0, 0, 1, 0, 2, 2, 3, 5, 4, 4, 1, 5];
  const confusion = new PixelConfusion({ numClasses: 6 }).add(predictions, labels);
  // Terciles: head = {2, 5}, body = {0, 3}, tail = {1, 4}.
  const imageCounts = [50, 5, 500, 20, 5, 80];

  it('averages the per-class IoU of each group by hand', () => {
    const got = frequencyGroupIoU({ confusion, imageCounts });
    expect(got.head).toBeCloseTo((1 + 1 / 3) / 2, 12);
    expect(got.body).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
    expect(got.tail).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(got.overall).toBeCloseTo(23 / 36, 12);
    expect(got.classesEvaluated).toEqual({ head: 2, body: 2, tail: 2 });
  });

  it('follows the grouping it is given', () => {
    // Fixed thresholds: head > 60 = {2, 5}; tail < 10 = {1, 4}; body = {0, 3}: the same split here.
    const fixed = frequencyGroupIoU({
      confusion,
      imageCounts,
      grouping: { by: 'image-count', headAbove: 60, tailBelow: 10 },
    });
    expect(fixed.head).toBeCloseTo(2 / 3, 12);
    // head > 40 adds class 0 (IoU 2/3) to the head.
    const wider = frequencyGroupIoU({
      confusion,
      imageCounts,
      grouping: { by: 'image-count', headAbove: 40, tailBelow: 10 },
    });
    expect(wider.head).toBeCloseTo((1 + 1 / 3 + 2 / 3) / 3, 12);
    expect(wider.body).toBeCloseTo(1 / 2, 12);
    expect(wider.classesEvaluated).toEqual({ head: 3, body: 1, tail: 2 });
  });

  it('leaves out classes absent from labels and predictions, and reports an empty group as NaN', () => {
    // 4 classes, IoU = [3/4, 1/2, 0, NaN]; terciles of 4: head = {0, 1}, body = {2}, tail = {3}.
    const cm = new PixelConfusion({ numClasses: 4 }).add([0, 0, 0, 1, 1, 1, 2, 0, 3], [0, 0, 0, 0, 1, 1, 1, 255, 255]);
    const got = frequencyGroupIoU({ confusion: cm, imageCounts: [300, 100, 10, 5] });
    expect(got.head).toBeCloseTo((3 / 4 + 1 / 2) / 2, 12);
    // Class 2 is predicted but never labelled: IoU 0, and it counts.
    expect(got.body).toBe(0);
    expect(got.tail).toBeNaN();
    expect(got.classesEvaluated).toEqual({ head: 2, body: 1, tail: 0 });
    expect(got.overall).toBeCloseTo(1.25 / 3, 12);
  });

  it('needs one image count per class', () => {
    expect(() => frequencyGroupIoU({ confusion, imageCounts: [1, 2, 3] })).toThrow(/3 image counts for 6 classes/);
  });
});
