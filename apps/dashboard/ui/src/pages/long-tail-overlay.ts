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

/** One run's per-class result: accuracy and training count per class index. */
export interface PerClassRun {
  name: string;
  accuracy: readonly number[];
  trainCounts: readonly number[];
  /** Class names by index (the data set's, or the indices). */
  classNames: readonly string[];
}

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
 * no training image has no place on a log axis and is left out.
 */
export function longTailOverlayOption(runs: readonly PerClassRun[]) {
  const counts = runs.flatMap((r) => r.trainCounts.filter((n) => n > 0));
  // A margin of half a step on the log axis either side, so the head and tail points are not on its edges.
  const low = counts.length === 0 ? 1 : Math.min(...counts) / 1.5;
  const high = counts.length === 0 ? 1000 : Math.max(...counts) * 1.5;
  const band = (group: ShotGroup, from: number, to: number) =>
    from >= to ? [] : [[{ xAxis: from, name: group, itemStyle: { color: BAND_COLORS[group] } }, { xAxis: to }]];
  const bands = [
    ...band('few', low, Math.min(high, SHOT_THRESHOLDS.few)),
    ...band('medium', Math.max(low, SHOT_THRESHOLDS.few), Math.min(high, SHOT_THRESHOLDS.many)),
    ...band('many', Math.max(low, SHOT_THRESHOLDS.many), high),
  ];
  const series = runs.map((run, index) => {
    const classes = run.accuracy
      .map((accuracy, c) => ({ c, accuracy, count: run.trainCounts[c] ?? 0 }))
      .filter((point) => point.count > 0)
      .sort((a, b) => b.count - a.count || a.c - b.c);
    return {
      name: run.name,
      type: 'line',
      symbolSize: 7,
      data: classes.map((p) => ({
        value: [p.count, p.accuracy],
        className: run.classNames[p.c] ?? String(p.c),
      })),
      ...(index === 0
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
        const p = params as { seriesName: string; data: { value: [number, number]; className: string } };
        const [count, accuracy] = p.data.value;
        return htmlLines([
          html`${p.seriesName}`,
          html`${p.data.className}: ${round(accuracy)} (${count} training images, ${shotGroupOf(count)})`,
        ]);
      },
    },
    legend: {},
    grid: { left: 55, right: 30, top: 60, bottom: 45 },
    xAxis: {
      type: 'log',
      name: 'training images per class (log)',
      nameLocation: 'middle',
      nameGap: 28,
      min: low,
      max: high,
      // The margins are not round numbers: label only the powers of ten in between.
      axisLabel: { showMinLabel: false, showMaxLabel: false },
    },
    yAxis: { type: 'value', name: 'accuracy', min: 0, max: 1 },
    series,
  };
}
