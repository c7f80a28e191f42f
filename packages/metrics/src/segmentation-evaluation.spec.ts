import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { PixelConfusion } from './pixel-confusion.js';
import {
  parseSegmentationEvaluation,
  type SegmentationEvaluation,
  segmentationEvaluationSchema,
  summarizeSegmentation,
} from './segmentation-evaluation.js';

describe('summarizeSegmentation and its stored schema', () => {
  // The 4-class case of segmentation-scores.spec.ts: IoU [3/4, 1/2, 0, NaN], 2 ignored pixels.
  const labels = [0, 0, 0, 0, 1, 1, 1, 255, 255];
  const predictions = [0, 0, 0, 1, 1, 1, 2, 0, 3];
  const imageCounts = [300, 100, 10, 5];

  it('stores every score by hand, NaN as null', () => {
    const cm = new PixelConfusion({ numClasses: 4 }).add(predictions, labels);
    const got = summarizeSegmentation(cm, { imageCounts });
    const expected: SegmentationEvaluation = {
      numClasses: 4,
      ignoreIndex: 255,
      countedPixels: 7,
      ignoredPixels: 2,
      mIoU: (3 / 4 + 1 / 2) / 3,
      pixelAccuracy: 5 / 7,
      meanClassAccuracy: (3 / 4 + 2 / 3) / 2,
      perClassIoU: [3 / 4, 1 / 2, 0, null],
      perClassAccuracy: [3 / 4, 2 / 3, null, null],
      labelPixels: [4, 3, 0, 0],
      imageCounts,
      frequencyGroups: {
        grouping: { by: 'rank-terciles' },
        head: (3 / 4 + 1 / 2) / 2,
        body: 0,
        tail: null,
        classesEvaluated: { head: 2, body: 1, tail: 0 },
        classGroups: ['head', 'head', 'body', 'tail'],
      },
    };
    expect(got).toEqual(expected);
    // What the store keeps is JSON: it must come back through the schema unchanged.
    const stored: unknown = JSON.parse(JSON.stringify(got));
    expect(parseSegmentationEvaluation(stored)).toEqual(expected);
  });

  it('gives the same result from batches as from the whole set, and keeps the confusion when asked', () => {
    const whole = new PixelConfusion({ numClasses: 4 }).add(predictions, labels);
    const batched = new PixelConfusion({ numClasses: 4 })
      .add(predictions.slice(0, 4), labels.slice(0, 4))
      .add(predictions.slice(4, 8), labels.slice(4, 8))
      .add(predictions.slice(8), labels.slice(8));
    const options = { imageCounts, includeConfusion: true };
    expect(summarizeSegmentation(batched, options)).toEqual(summarizeSegmentation(whole, options));
    expect(summarizeSegmentation(whole, options).confusion).toEqual([
      [3, 1, 0, 0],
      [0, 2, 1, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(summarizeSegmentation(whole, { imageCounts }).confusion).toBeUndefined();
  });

  it('stores null scores when every pixel is ignored', () => {
    const cm = new PixelConfusion({ numClasses: 2 }).add([0, 1], [255, 255]);
    const got = parseSegmentationEvaluation(summarizeSegmentation(cm, { imageCounts: [4, 1] }));
    expect([got.mIoU, got.pixelAccuracy, got.meanClassAccuracy]).toEqual([null, null, null]);
    expect(got.frequencyGroups.classesEvaluated).toEqual({ head: 0, body: 0, tail: 0 });
  });

  it('rejects malformed or inconsistent stored results with the path of each field', () => {
    const good = summarizeSegmentation(new PixelConfusion({ numClasses: 4 }).add(predictions, labels), { imageCounts });
    const cases: Array<[string, (e: SegmentationEvaluation) => unknown, RegExp]> = [
      ['short per-class IoU', (e) => ({ ...e, perClassIoU: [0.5] }), /perClassIoU: needs 4 entries/],
      ['NaN score', (e) => ({ ...e, mIoU: Number.NaN }), /mIoU/],
      ['score above 1', (e) => ({ ...e, pixelAccuracy: 71.4 }), /pixelAccuracy/],
      ['pixel total', (e) => ({ ...e, countedPixels: 9 }), /countedPixels: differs from the sum of labelPixels/],
      [
        'accuracy of an unlabelled class',
        (e) => ({ ...e, perClassAccuracy: [0.75, 2 / 3, 0, null] }),
        /perClassAccuracy\[2\]: must be null/,
      ],
      [
        'evaluated classes',
        (e) => ({ ...e, frequencyGroups: { ...e.frequencyGroups, classesEvaluated: { head: 2, body: 1, tail: 1 } } }),
        /frequencyGroups\.classesEvaluated\.tail/,
      ],
      [
        'class groups',
        (e) => ({ ...e, frequencyGroups: { ...e.frequencyGroups, classGroups: ['head', 'body', 'body', 'tail'] } }),
        /frequencyGroups\.classGroups: differs/,
      ],
      ['confusion size', (e) => ({ ...e, confusion: [[1]] }), /confusion: needs 4 x 4/],
    ];
    for (const [name, corrupt, message] of cases) {
      const input = corrupt(good);
      expect(segmentationEvaluationSchema.safeParse(input).success, name).toBe(false);
      let error: unknown;
      try {
        parseSegmentationEvaluation(input, 'evaluation of run r1');
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(LtlabError);
      expect((error as LtlabError).code).toBe('CONFIG.INVALID');
      expect((error as LtlabError).message, name).toMatch(message);
    }
  });

  it('needs one image count per class', () => {
    const cm = new PixelConfusion({ numClasses: 4 });
    expect(() => summarizeSegmentation(cm, { imageCounts: [1, 2] })).toThrow(/2 image counts for 4 classes/);
  });
});
