import type { RunSuggestion, Wire } from '@ltlab/store/wire';
import { useMemo } from 'react';
import { formatCell } from '../api.js';
import { Chart, type ChartOption } from '../Chart.js';
import { html } from '../html.js';
import { type SuggestionPoint, suggestionConvergence } from './suggestion-convergence.js';

/**
 * A TPE sweep's suggestions converging: objective against suggestion index, random start-up
 * draws and model-based suggestions marked apart, and the best so far. Nothing for other sweeps.
 */
export function SuggestionChart({
  points,
  mode,
  metric,
}: {
  points: ReadonlyArray<{ label: string; objective: number | null; suggestion: Wire<RunSuggestion> | null }>;
  mode: 'max' | 'min';
  metric: string;
}) {
  const figure = useMemo(() => suggestionConvergence(points, mode), [points, mode]);
  const option = useMemo<ChartOption | null>(() => {
    if (figure === null) return null;
    return {
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      legend: { top: 0 },
      // Run labels are data: escaped, as in every tooltip.
      tooltip: {
        formatter: (p: { seriesName: string; data: SuggestionPoint | [number, number] }) =>
          p.data.length === 3
            ? html`#${p.data[0]} ${p.data[2]}: ${formatCell(p.data[1])} (${p.seriesName})`
            : html`best after #${p.data[0]}: ${formatCell(p.data[1])}`,
      },
      xAxis: { type: 'value', name: 'suggestion', minInterval: 1 },
      yAxis: { type: 'value', name: metric, scale: true },
      series: [
        { name: 'start-up (random)', type: 'scatter', symbol: 'diamond', data: figure.startup },
        { name: 'model-based (TPE)', type: 'scatter', data: figure.model },
        { name: 'best so far', type: 'line', step: 'end', showSymbol: false, data: figure.best },
      ],
    };
  }, [figure, metric]);
  if (option === null) return null;
  return (
    <section className="card">
      <h2>Suggestions converging</h2>
      <Chart option={option} testId="suggestion-convergence" height={320} />
    </section>
  );
}
