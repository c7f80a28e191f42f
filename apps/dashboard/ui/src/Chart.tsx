import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { fitLegend } from './legend-layout.js';

echarts.use([
  LineChart,
  BarChart,
  ScatterChart,
  HeatmapChart,
  ParallelChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkAreaComponent,
  ParallelComponent,
  VisualMapComponent,
  DataZoomComponent,
  TitleComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

interface ChartProps {
  option: ChartOption;
  testId: string;
  height?: number;
  /** Called with the chart after each update, e.g. to read a brush selection. */
  onEvent?: { name: string; handler: (chart: echarts.ECharts, params: unknown) => void };
}

/** One ECharts instance per element; the series count is exposed for tests and screen readers. */
export function Chart({ option, testId, height = 320, onEvent }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (element.current === null) return;
    const instance = echarts.init(element.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  // Every chart's legend gets the same layout: under the title, one scrolling row, never overflowing.
  const laidOut = useMemo(() => fitLegend(option as Record<string, unknown>) as ChartOption, [option]);
  useEffect(() => {
    chart.current?.setOption(laidOut, true);
  }, [laidOut]);
  useEffect(() => {
    const instance = chart.current;
    if (instance === null || onEvent === undefined) return;
    const handler = (params: unknown) => onEvent.handler(instance, params);
    instance.on(onEvent.name, handler);
    return () => {
      instance.off(onEvent.name, handler);
    };
  }, [onEvent]);
  const series = (option as { series?: unknown }).series;
  const seriesList = Array.isArray(series) ? (series as Array<{ name?: string; data?: unknown[] }>) : [];
  return (
    <div
      ref={element}
      data-testid={testId}
      data-series-count={seriesList.length}
      data-point-count={seriesList.reduce((sum, s) => sum + (s.data?.length ?? 0), 0)}
      data-series-names={seriesList.map((s) => s.name ?? '').join('|')}
      style={{ height, width: '100%' }}
    />
  );
}
