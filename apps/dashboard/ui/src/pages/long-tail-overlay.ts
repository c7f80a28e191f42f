import { html, htmlLines } from '../html.js';

/**
 * The many / medium / few split of @ltlab/metrics (SHOT_THRESHOLDS, OLTR's convention): a class
 * is many-shot with more than 100 training images, few-shot with fewer than 20. The UI bundle
 * cannot import that package, so the two numbers are repeated here.
 */
export const SHOT_THRESHOLDS = { many: 100, few: 20 } as const;

export type ShotGroup = 'many' | 'medium' | 'few';

export function shotGroupOf(trainCount: number): ShotGroup {
  if (trainCount > SHOT_THRESHOLDS.many) return 'many';
  if (trainCount < SHOT_THRESHOLDS.few) return 'few';
  return 'medium';
}

/**
 * One run's per-class result: a score (accuracy; IoU for segmentation) and a class frequency
 * (training images; for segmentation the training images containing the class) per class index.
 */
export interface PerClassRun {
  name: string;
  /** Null where the class has no score (a segmentation class absent from labels and predictions): left out. */
  scores: readonly (number | null)[];
  trainCounts: readonly number[];
  /** Class names by index (the data set's, or the indices). */
  classNames: readonly string[];
  /**
   * The run's own group of each class (segmentation's head / body / tail by image frequency):
   * points are coloured by it and no shot range is shaded. Absent: many / medium / few by count.
   */
  groups?: readonly FrequencyGroup[];
}

/** Segmentation's groups by image-level class frequency (@ltlab/metrics' `FrequencyGroup`). */
export type FrequencyGroup = 'head' | 'body' | 'tail';

export const FREQUENCY_GROUP_COLORS: Record<FrequencyGroup, string> = {
  head: '#4e79a7',
  body: '#59a14f',
  tail: '#e15759',
};

/** What the axes and tooltips call the score and the count. */
export interface PerClassMeasure {
  score: string;
  /** A count in words, after the number: "12 training images". */
  countUnit: string;
  /** The count axis's title. */
  countAxis: string;
}

export const ACCURACY_VS_TRAINING_IMAGES: PerClassMeasure = {
  score: 'accuracy',
  countUnit: 'training images',
  countAxis: 'training images per class (log)',
};
export const IOU_VS_IMAGE_FREQUENCY: PerClassMeasure = {
  score: 'IoU',
  countUnit: 'training images with the class',
  countAxis: 'training images containing the class (log)',
};

const BAND_COLORS: Record<ShotGroup, string> = {
  many: 'rgba(78, 121, 167, 0.10)',
  medium: 'rgba(89, 161, 79, 0.12)',
  few: 'rgba(225, 87, 89, 0.12)',
};

/** How many classes of a run fall in each group: the caption under the chart. */
export function shotGroupSizes(trainCounts: readonly number[]): Record<ShotGroup, number> {
  const sizes: Record<ShotGroup, number> = { many: 0, medium: 0, few: 0 };
  for (const count of trainCounts) sizes[shotGroupOf(count)] += 1;
  return sizes;
}

const round = (value: number) => Number(value.toPrecision(3));

/**
 * Per-class accuracy against training count, one series per run overlaid on a log count axis,
 * classes joined head → tail, with the few / medium / many ranges shaded behind. A class with
 * no training image has no place on a log axis and is left out. A segmentation run (`groups`)
 * draws per-class IoU against the training images containing each class, its points coloured
 * head / body / tail (docs/segmentation.md "Dashboard, CLI and worker").
 */
export function longTailOverlayOption(
  runs: readonly PerClassRun[],
  measure: PerClassMeasure = ACCURACY_VS_TRAINING_IMAGES,
) {
  const counts = runs.flatMap((r) => r.trainCounts.filter((n) => n > 0));
  // A margin of half a step on the log axis either side, so the head and tail points are not on its edges.
  const low = counts.length === 0 ? 1 : Math.min(...counts) / 1.5;
  const high = counts.length === 0 ? 1000 : Math.max(...counts) * 1.5;
  const band = (group: ShotGroup, from: number, to: number) =>
    from >= to ? [] : [[{ xAxis: from, name: group, itemStyle: { color: BAND_COLORS[group] } }, { xAxis: to }]];
  const shaded = runs.every((run) => run.groups === undefined);
  const bands = [
    ...band('few', low, Math.min(high, SHOT_THRESHOLDS.few)),
    ...band('medium', Math.max(low, SHOT_THRESHOLDS.few), Math.min(high, SHOT_THRESHOLDS.many)),
    ...band('many', Math.max(low, SHOT_THRESHOLDS.many), high),
  ];
  const series = runs.map((run, index) => {
    const classes = run.scores
      .flatMap((score, c) => (score === null ? [] : [{ c, score, count: run.trainCounts[c] ?? 0 }]))
      .filter((point) => point.count > 0)
      .sort((a, b) => b.count - a.count || a.c - b.c);
    const groupOf = (c: number, count: number) => run.groups?.[c] ?? shotGroupOf(count);
    return {
      name: run.name,
      type: 'line',
      symbolSize: 7,
      data: classes.map((p) => {
        const group = run.groups?.[p.c];
        return {
          value: [p.count, p.score],
          className: run.classNames[p.c] ?? String(p.c),
          group: groupOf(p.c, p.count),
          ...(group === undefined ? {} : { itemStyle: { color: FREQUENCY_GROUP_COLORS[group] } }),
        };
      }),
      // Every point carries its group's colour, so every point is drawn, on a neutral line.
      ...(run.groups === undefined
        ? {}
        : { symbol: 'circle', showSymbol: true, showAllSymbol: true, lineStyle: { color: '#9ca3af' } }),
      ...(index === 0 && shaded
        ? {
            markArea: {
              silent: true,
              label: { position: 'insideTop', color: '#6b7280', fontSize: 11 },
              data: bands,
            },
          }
        : {}),
    };
  });
  return {
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const p = params as {
          seriesName: string;
          data: { value: [number, number]; className: string; group?: string };
        };
        const [count, score] = p.data.value;
        const group = p.data.group ?? shotGroupOf(count);
        return htmlLines([
          html`${p.seriesName}`,
          html`${p.data.className}: ${round(score)} (${count} ${measure.countUnit}, ${group})`,
        ]);
      },
    },
    legend: {},
    grid: { left: 55, right: 30, top: 60, bottom: 45 },
    xAxis: {
      type: 'log',
      name: measure.countAxis,
      nameLocation: 'middle',
      nameGap: 28,
      min: low,
      max: high,
      // The margins are not round numbers: label only the powers of ten in between.
      axisLabel: { showMinLabel: false, showMaxLabel: false },
    },
    yAxis: { type: 'value', name: measure.score, min: 0, max: 1 },
    series,
  };
}
