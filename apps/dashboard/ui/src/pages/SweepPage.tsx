import { useMemo, useState } from 'react';
import { type Cell, formatCell, type RunStatus, useFetch, useLiveVersion } from '../api.js';
import { Chart, type ChartOption } from '../Chart.js';
import { Progress } from './SweepsPage.js';

interface SweepDetail {
  sweep: { id: string; name: string; objectiveMetric: string; objectiveMode: 'max' | 'min' };
  counts: Record<RunStatus, number>;
  best: { id: string; label: string; objective: number | null } | null;
  swept: string[];
  points: Array<{
    id: string;
    label: string;
    status: RunStatus;
    objective: number | null;
    values: Record<string, Cell>;
  }>;
  importance: Array<{ key: string; importance: number; groups: number; n: number }>;
}

export function SweepPage({ id }: { id: string }) {
  const version = useLiveVersion();
  const { data, error } = useFetch<SweepDetail>(`api/sweeps/${encodeURIComponent(id)}`, version);
  const [brushed, setBrushed] = useState<Set<string> | null>(null);
  const [scatterKey, setScatterKey] = useState<string | null>(null);

  const parallel = useMemo<ChartOption | null>(() => {
    if (data === null) return null;
    const axes = [...data.swept, 'objective'];
    const categories = axes.map((key) =>
      key === 'objective' || data.points.every((p) => typeof p.values[key] === 'number' || p.values[key] === null)
        ? null
        : [...new Set(data.points.map((p) => String(p.values[key])))],
    );
    const objectives = data.points.flatMap((p) => (p.objective === null ? [] : [p.objective]));
    return {
      parallelAxis: axes.map((key, dim) => ({
        dim,
        name: key,
        ...(categories[dim] === null ? { type: 'value', scale: true } : { type: 'category', data: categories[dim] }),
      })),
      animation: false,
      parallel: { left: 60, right: 90, top: 40, bottom: 30 },
      visualMap: {
        show: true,
        dimension: axes.length - 1,
        min: Math.min(...objectives, 0),
        max: Math.max(...objectives, 1),
        inRange: { color: ['#d94e5d', '#eac736', '#50a3ba'].reverse() },
        right: 0,
        top: 40,
      },
      series: [
        {
          name: 'runs',
          type: 'parallel',
          lineStyle: { width: 1.5, opacity: 0.7 },
          inactiveOpacity: 0.05,
          data: data.points
            .filter((p) => p.objective !== null)
            .map((p) => [
              ...data.swept.map((key) =>
                categories[data.swept.indexOf(key)] === null ? p.values[key] : String(p.values[key]),
              ),
              p.objective,
            ]),
        },
      ],
    };
  }, [data]);

  const scored = useMemo(() => (data?.points ?? []).filter((p) => p.objective !== null), [data]);
  const onBrush = useMemo(
    () => ({
      name: 'axisareaselected',
      handler: (chart: unknown) => {
        // ECharts keeps the model API out of its public types; the brush state lives there.
        const model = (chart as { getModel(): unknown }).getModel() as {
          getSeries(): Array<{ getRawIndicesByActiveState(state: string): number[] }>;
        };
        const active = model.getSeries()[0]?.getRawIndicesByActiveState('active') ?? [];
        setBrushed(active.length === scored.length ? null : new Set(active.map((i) => scored[i]?.id ?? '')));
      },
    }),
    [scored],
  );

  const importance = useMemo<ChartOption | null>(
    () =>
      data === null
        ? null
        : {
            grid: { left: 180, right: 20, top: 10, bottom: 30 },
            xAxis: { type: 'value', max: 1, name: 'η² of objective' },
            yAxis: { type: 'category', data: data.importance.map((p) => p.key).reverse() },
            tooltip: {},
            series: [
              {
                name: 'importance',
                type: 'bar',
                data: data.importance.map((p) => Number(p.importance.toFixed(4))).reverse(),
              },
            ],
          },
    [data],
  );

  const key = scatterKey ?? data?.importance[0]?.key ?? null;
  const scatter = useMemo<ChartOption | null>(() => {
    if (data === null || key === null) return null;
    const numeric = scored.every((p) => typeof p.values[key] === 'number');
    return {
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      tooltip: { formatter: (p: { data: [Cell, number, string] }) => `${p.data[2]}: ${formatCell(p.data[1])}` },
      xAxis: numeric
        ? { type: 'value', name: key, scale: true }
        : { type: 'category', name: key, data: [...new Set(scored.map((p) => String(p.values[key])))] },
      yAxis: { type: 'value', name: data.sweep.objectiveMetric, scale: true },
      series: [
        {
          name: key,
          type: 'scatter',
          data: scored.map((p) => [numeric ? p.values[key] : String(p.values[key]), p.objective, p.label]),
        },
      ],
    };
  }, [data, key, scored]);

  if (error !== null) return <p className="error">{error}</p>;
  if (data === null) return <p>Loading…</p>;
  const shown = data.points
    .filter((p) => brushed === null || brushed.has(p.id))
    .sort(
      (a, b) =>
        ((b.objective ?? -Infinity) - (a.objective ?? -Infinity)) * (data.sweep.objectiveMode === 'max' ? 1 : -1),
    );
  return (
    <>
      <section className="card">
        <h1>{data.sweep.name}</h1>
        <div className="toolbar">
          <Progress counts={data.counts} />
          <span data-testid="best-run">
            Best ({data.sweep.objectiveMode} {data.sweep.objectiveMetric}):{' '}
            {data.best === null ? (
              '—'
            ) : (
              <a href={`#/runs/${encodeURIComponent(data.best.id)}`}>
                {data.best.label} = {formatCell(data.best.objective)}
              </a>
            )}
          </span>
          <a href={`#/runs?sweep=${encodeURIComponent(data.sweep.id)}`}>Open in runs table →</a>
        </div>
      </section>
      <section className="card">
        <h2>Hyperparameters vs objective (drag on an axis to filter the table below)</h2>
        {parallel !== null && <Chart option={parallel} testId="parallel-coordinates" height={360} onEvent={onBrush} />}
      </section>
      <div className="grid2">
        <section className="card">
          <h2>Importance</h2>
          {importance !== null && (
            <Chart option={importance} testId="importance" height={Math.max(140, 40 * data.importance.length)} />
          )}
        </section>
        <section className="card">
          <h2>
            Objective vs{' '}
            <select value={key ?? ''} onChange={(e) => setScatterKey(e.target.value)}>
              {data.swept.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </h2>
          {scatter !== null && <Chart option={scatter} testId="param-scatter" height={280} />}
        </section>
      </div>
      <section className="card">
        <h2>Runs {brushed === null ? '' : `(brushed: ${shown.length})`}</h2>
        <table data-testid="sweep-runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              {data.swept.map((k) => (
                <th key={k}>{k}</th>
              ))}
              <th>objective</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, 500).map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`#/runs/${encodeURIComponent(p.id)}`}>{p.label}</a>
                </td>
                <td className={`status-${p.status}`}>{p.status}</td>
                {data.swept.map((k) => (
                  <td key={k}>{formatCell(p.values[k])}</td>
                ))}
                <td className="num">{formatCell(p.objective)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
