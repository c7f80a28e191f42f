import { html, htmlLines } from '../html.js';

/** One group's aggregated curve as `GET /api/runs/groups/curves` sends it. */
export interface GroupCurve {
  label: string;
  points: ReadonlyArray<{ epoch: number; mean: number; std: number | null; n: number }>;
}

/** Distinct colours for up to 12 groups (Tableau 10 and two more); they repeat beyond. */
export const GROUP_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#17becf',
  '#8c564b',
];

export function groupColor(index: number): string {
  return GROUP_COLORS[index % GROUP_COLORS.length] as string;
}

const round = (value: number) => Number(value.toPrecision(4));

/**
 * Line series for mean ± std bands: per group an invisible lower edge (mean − std), the band
 * stacked on it (2·std, filled) and the mean line. All three carry the group's name, so its
 * legend entry shows and hides them together. A group with one run at an epoch has no band there.
 */
export function bandOption(curves: readonly GroupCurve[], metricLabel: string, colors?: readonly string[]) {
  const epochs = [...new Set(curves.flatMap((c) => c.points.map((p) => p.epoch)))].sort((a, b) => a - b);
  const at = (curve: GroupCurve) => {
    const byEpoch = new Map(curve.points.map((p) => [p.epoch, p]));
    return epochs.map((epoch) => byEpoch.get(epoch) ?? null);
  };
  const series = curves.flatMap((curve, index) => {
    const color = colors?.[index] ?? groupColor(index);
    const points = at(curve);
    const stack = `band-${index}`;
    // The legend draws a name's entry from its first series: every series of a group carries its colour.
    const edge = {
      type: 'line',
      stack,
      stackStrategy: 'all',
      symbol: 'none',
      silent: true,
      itemStyle: { color },
      lineStyle: { opacity: 0 },
    };
    return [
      { ...edge, name: curve.label, data: points.map((p) => (p === null ? null : p.mean - (p.std ?? 0))) },
      {
        ...edge,
        name: curve.label,
        data: points.map((p) => (p === null ? null : 2 * (p.std ?? 0))),
        areaStyle: { color, opacity: 0.2 },
      },
      {
        name: curve.label,
        type: 'line',
        showSymbol: false,
        itemStyle: { color },
        lineStyle: { color, width: 2 },
        data: points.map((p) => (p === null ? null : p.mean)),
      },
    ];
  });
  return {
    title: { text: `${metricLabel}: mean ± std over the runs of each group`, textStyle: { fontSize: 13 } },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = (params as Array<{ dataIndex: number }>)[0];
        if (first === undefined) return '';
        const epoch = epochs[first.dataIndex];
        const lines = curves.flatMap((curve) => {
          const p = curve.points.find((point) => point.epoch === epoch);
          if (p === undefined) return [];
          const std = p.std === null ? '' : ` ± ${round(p.std)}`;
          return [html`${curve.label}: ${round(p.mean)}${std} (n=${p.n})`];
        });
        return htmlLines([html`epoch ${epoch}`, ...lines]);
      },
    },
    legend: { data: curves.map((c) => c.label) },
    grid: { left: 55, right: 20, top: 60, bottom: 40 },
    xAxis: { type: 'category', name: 'epoch', nameLocation: 'middle', nameGap: 25, data: epochs.map(String) },
    yAxis: { type: 'value', scale: true },
    series,
  };
}
