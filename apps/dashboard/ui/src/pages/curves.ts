import type { MetricPoint } from '../api.js';
import { smooth } from '../smoothing.js';

export type XAxis = 'epoch' | 'time';

/** Line series for one metric of one run, one per split; x is epoch or minutes since the first point. */
export function curveSeries(
  points: readonly MetricPoint[],
  metric: string,
  prefix: string,
  x: XAxis,
  smoothing: number,
) {
  const splits = [...new Set(points.filter((p) => p.name === metric).map((p) => p.split))].sort();
  const start = Math.min(...points.map((p) => Date.parse(p.wallTime)));
  return splits.map((split) => {
    const series = points.filter((p) => p.name === metric && p.split === split).sort((a, b) => a.step - b.step);
    const ys = smooth(
      series.map((p) => p.value),
      smoothing,
    );
    return {
      name: `${prefix}${split}`,
      type: 'line',
      showSymbol: false,
      data: series.map((p, i) => [x === 'epoch' ? p.epoch : (Date.parse(p.wallTime) - start) / 60_000, ys[i]]),
    };
  });
}

export function curveOption(series: unknown[], metric: string, x: XAxis, log = false) {
  return {
    title: { text: metric, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 20 },
    grid: { left: 55, right: 20, top: 60, bottom: 40 },
    xAxis: { type: 'value', name: x === 'epoch' ? 'epoch' : 'minutes', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: log ? 'log' : 'value', scale: true },
    dataZoom: [{ type: 'inside' }],
    series,
  };
}
