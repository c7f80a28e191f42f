import { describe, expect, it } from 'vitest';
import { confusionOption, rowNormalise } from '../ui/src/pages/confusion.js';
import { bandOption } from '../ui/src/pages/group-bands.js';
import {
  FREQUENCY_GROUP_COLORS,
  IOU_VS_IMAGE_FREQUENCY,
  longTailOverlayOption,
  shotGroupOf,
  shotGroupSizes,
} from '../ui/src/pages/long-tail-overlay.js';
import { frequencyGroupSizes, segmentationScoreRows } from '../ui/src/pages/segmentation-summary.js';

describe('mean ± std bands', () => {
  it('per group: lower edge, band of 2 std stacked on it, and the mean, all under the group name', () => {
    const option = bandOption(
      [
        {
          label: 'ce',
          points: [
            { epoch: 1, mean: 0.5, std: 0.1, n: 3 },
            { epoch: 2, mean: 0.6, std: null, n: 1 },
          ],
        },
        { label: 'paco', points: [{ epoch: 2, mean: 0.7, std: 0.05, n: 2 }] },
      ],
      'val top1',
    );
    expect(option.xAxis.data).toEqual(['1', '2']);
    expect(option.legend.data).toEqual(['ce', 'paco']);
    const [lower, band, mean, paLower, paBand] = option.series as Array<{
      name: string;
      data: Array<number | null>;
      stack?: string;
    }>;
    expect(option.series.map((s) => s.name)).toEqual(['ce', 'ce', 'ce', 'paco', 'paco', 'paco']);
    expect(lower?.data[0]).toBeCloseTo(0.4, 12);
    expect(band?.data).toEqual([0.2, 0]);
    expect(band?.stack).toBe(lower?.stack);
    expect(mean?.data).toEqual([0.5, 0.6]);
    expect(paLower?.data[0]).toBeNull();
    expect(paBand?.data[1]).toBeCloseTo(0.1, 12);
    expect(paBand?.stack).not.toBe(lower?.stack);
  });
});

describe('per-class accuracy vs training count', () => {
  it('uses the OLTR split: many above 100, few below 20', () => {
    expect([101, 100, 20, 19].map(shotGroupOf)).toEqual(['many', 'medium', 'medium', 'few']);
    expect(shotGroupSizes([1000, 599, 359, 215, 129, 77, 46, 27, 16, 10])).toEqual({ many: 5, medium: 3, few: 2 });
  });

  it('one series per run, head to tail on a log axis, the three ranges shaded', () => {
    const option = longTailOverlayOption([
      { name: 'a', scores: [0.9, 0.5, 0.1], trainCounts: [10, 500, 50], classNames: ['x', 'y', 'z'] },
      { name: 'b', scores: [0.8, 0.6, 0], trainCounts: [10, 500, 0], classNames: ['x', 'y', 'z'] },
    ]);
    expect(option.xAxis.type).toBe('log');
    const [a, b] = option.series as unknown as Array<{
      data: Array<{ value: [number, number]; className: string }>;
      markArea?: { data: Array<[{ name: string; xAxis: number }, { xAxis: number }]> };
    }>;
    expect(a?.data.map((p) => p.className)).toEqual(['y', 'z', 'x']);
    expect(a?.data.map((p) => p.value)).toEqual([
      [500, 0.5],
      [50, 0.1],
      [10, 0.9],
    ]);
    // A class without training images has no place on a log axis.
    expect(b?.data.map((p) => p.className)).toEqual(['y', 'x']);
    expect(a?.markArea?.data.map(([from, to]) => [from.name, from.xAxis, to.xAxis])).toEqual([
      ['few', 10 / 1.5, 20],
      ['medium', 20, 100],
      ['many', 100, 750],
    ]);
    expect(b?.markArea).toBeUndefined();
  });
});

describe('per-class IoU vs class frequency (segmentation)', () => {
  it("colours each point by the run's own group, leaves out classes without an IoU, shades no shot range", () => {
    const option = longTailOverlayOption(
      [
        {
          name: 'test IoU',
          scores: [0.9, null, 0.2, 0.5],
          trainCounts: [400, 50, 3, 20],
          classNames: ['background', 'a', 'b', 'c'],
          groups: ['head', 'head', 'tail', 'body'],
        },
      ],
      IOU_VS_IMAGE_FREQUENCY,
    );
    const [series] = option.series as unknown as Array<{
      data: Array<{ value: [number, number]; className: string; group: string; itemStyle?: { color: string } }>;
      markArea?: unknown;
    }>;
    expect(series?.data.map((p) => [p.className, p.group, p.itemStyle?.color])).toEqual([
      ['background', 'head', FREQUENCY_GROUP_COLORS.head],
      ['c', 'body', FREQUENCY_GROUP_COLORS.body],
      ['b', 'tail', FREQUENCY_GROUP_COLORS.tail],
    ]);
    expect(series?.markArea).toBeUndefined();
    expect(option.yAxis.name).toBe('IoU');
    expect(option.xAxis.name).toBe('training images containing the class (log)');
    expect(
      option.tooltip.formatter({ seriesName: 'test IoU', data: { value: [3, 0.2], className: 'b', group: 'tail' } }),
    ).toBe('test IoU<br/>b: 0.2 (3 training images with the class, tail)');
  });

  it('lists the latest scores of each split and the group sizes of a stored evaluation', () => {
    const segmentation = {
      numClasses: 3,
      mIoU: 0.5,
      pixelAccuracy: 0.8,
      meanClassAccuracy: 0.6,
      perClassIoU: [0.9, 0.1, null],
      imageCounts: [30, 5, 0],
      frequencyGroups: { head: 0.9, body: 0.1, tail: null, classGroups: ['head', 'body', 'tail'] as const },
    };
    const evaluation = {
      split: 'test',
      epoch: 3,
      top1: 0.8,
      segmentation: {
        ...segmentation,
        frequencyGroups: {
          ...segmentation.frequencyGroups,
          classGroups: [...segmentation.frequencyGroups.classGroups],
        },
      },
    };
    const classification = { split: 'val', epoch: 3, top1: 0.7 };
    const rows = segmentationScoreRows([classification, evaluation] as unknown as Parameters<
      typeof segmentationScoreRows
    >[0]);
    expect(rows).toEqual([
      { split: 'test', epoch: 3, mIoU: 0.5, aAcc: 0.8, mAcc: 0.6, headIoU: 0.9, bodyIoU: 0.1, tailIoU: null },
    ]);
    expect(frequencyGroupSizes(evaluation.segmentation)).toEqual({
      head: { classes: 1, drawn: 1 },
      body: { classes: 1, drawn: 1 },
      tail: { classes: 1, drawn: 0 },
    });
  });
});

describe('row-normalised confusion matrix', () => {
  it('divides each row by its total, an empty row stays zero', () => {
    expect(
      rowNormalise([
        [8, 2],
        [1, 3],
        [0, 0],
      ]),
    ).toEqual([
      [0.8, 0.2],
      [0.25, 0.75],
      [0, 0],
    ]);
  });

  it('names both axes and scales colour from 0 to 1', () => {
    const option = confusionOption(
      [
        [90, 10],
        [1, 1],
      ],
      ['Sneaker', 'Ankle boot'],
    );
    expect(option.yAxis.data).toEqual(['Sneaker', 'Ankle boot']);
    expect(option.xAxis.data).toEqual(['Sneaker', 'Ankle boot']);
    expect(option.visualMap).toMatchObject({ min: 0, max: 1 });
    expect(option.series[0]?.data).toEqual([
      [0, 0, 0.9],
      [1, 0, 0.1],
      [0, 1, 0.5],
      [1, 1, 0.5],
    ]);
    const tooltip = option.tooltip.formatter({ data: [0, 1, 0.5] });
    expect(tooltip).toBe('Ankle boot → Sneaker: 50.0% (1 of 2)');
  });
});
