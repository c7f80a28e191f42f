import { parseRunConfig } from '@ltlab/config';
import { describe, expect, it } from 'vitest';
import { tinyConfig } from '../__fixtures__/tiny-run-config.js';
import { bestSelection, improves, sameSelection } from './best-selection.js';

const plain = parseRunConfig(tinyConfig());
const validated = parseRunConfig(
  tinyConfig({
    data: { ...tinyConfig().data, validation: { perClass: 4 } } as ReturnType<typeof tinyConfig>['data'],
  }),
);

describe('bestSelection', () => {
  it('chooses on the validation split when the config holds one out, else on the test set', () => {
    expect(bestSelection(plain)).toEqual({ metric: 'top1', split: 'test', mode: 'max' });
    expect(bestSelection(validated)).toEqual({ metric: 'top1', split: 'val', mode: 'max' });
  });

  it("takes the sweep objective's metric and direction", () => {
    expect(bestSelection(plain, { metric: 'test/few', mode: 'max' })).toEqual({
      metric: 'few',
      split: 'test',
      mode: 'max',
    });
    expect(bestSelection(validated, { metric: 'test/many', mode: 'min' })).toEqual({
      metric: 'many',
      split: 'val',
      mode: 'min',
    });
    // The evaluations do not report a training loss: top-1, higher is better.
    expect(bestSelection(plain, { metric: 'train/loss', mode: 'min' })).toEqual({
      metric: 'top1',
      split: 'test',
      mode: 'max',
    });
  });
});

describe('bestSelection for segmentation runs', () => {
  const segmentation = parseRunConfig({
    task: 'segmentation',
    data: { source: { name: 'fashion-mnist-seg-lt' } },
    model: { name: 'fcn-resnet10' },
    optimizer: { name: 'adamw', lr: 1e-3 },
    iterations: 100,
    batchSize: 4,
    evaluation: { everyIterations: 50 },
    checkpoint: { everyIterations: 50 },
  });

  it('chooses by mIoU on the test split, or by the segmentation score the objective names', () => {
    expect(bestSelection(segmentation)).toEqual({ metric: 'mIoU', split: 'test', mode: 'max' });
    expect(bestSelection(segmentation, { metric: 'test/tailIoU', mode: 'max' })).toEqual({
      metric: 'tailIoU',
      split: 'test',
      mode: 'max',
    });
    // A sweep without an objective asks for test/top1, which a segmentation evaluation does not
    // select by (its top-1 is the pixel accuracy, aAcc): mIoU.
    expect(bestSelection(segmentation, { metric: 'test/top1', mode: 'max' })).toEqual({
      metric: 'mIoU',
      split: 'test',
      mode: 'max',
    });
    // And a classification run is not chosen by a segmentation score.
    expect(bestSelection(plain, { metric: 'test/mIoU', mode: 'max' }).metric).toBe('top1');
  });
});

describe('improves', () => {
  const best = { metric: 'top1' as const, split: 'test' as const, mode: 'max' as const, value: 0.5, epoch: 2 };
  it('compares in the selection direction; an empty shot group never improves', () => {
    expect(improves(null, 0.1, 'max')).toBe(true);
    expect(improves(best, 0.6, 'max')).toBe(true);
    expect(improves(best, 0.5, 'max')).toBe(false);
    expect(improves(best, 0.4, 'min')).toBe(true);
    expect(improves(null, null, 'max')).toBe(false);
    expect(sameSelection(best, { metric: 'top1', split: 'val', mode: 'max' })).toBe(false);
  });
});
