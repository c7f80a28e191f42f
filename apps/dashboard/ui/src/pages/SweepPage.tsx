import type { RungTable as RungTableData, RunSuggestion, Wire } from '@ltlab/store/wire';
import { useMemo, useState } from 'react';
import { type Cell, formatCell, type RunStatus, useFetch, useLiveVersion } from '../api.js';
import { Chart, type ChartOption } from '../Chart.js';
import { html, htmlLines } from '../html.js';
import { RungTable } from './RungTable.js';
import { SuggestionChart } from './SuggestionChart.js';
import { Progress } from './SweepsPage.js';
import { axisOf, orderSwept, plotted } from './sweep-axes.js';

interface Importance {
  key: string;
  /** η², or null when it cannot be estimated (one run per value): `note` says why. */
  importance: number | null;
  note: string | null;
  groups: number;
  n: number;
  perGroup: Array<{ value: string; n: number; mean: number }>;
  /** A random forest's permutation importance (a share of the total), or null with a note. */
  model: { method: string; importance: number | null; note: string | null; n: number; r2: number | null };
}

const ETA2 = 'η²';
const FOREST = 'forest share';

interface SweepDetail {
  sweep: { id: string; name: string; objectiveMetric: string; objectiveMode: 'max' | 'min' };
  counts: Record<RunStatus, number>;
  best: { id: string; label: string; objective: number | null } | null;
  /** Config leaves that differ between runs; a run without a leaf has null there. */
  swept: string[];
  points: Array<{
    id: string;
    label: string;
    status: RunStatus;
    objective: number | null;
    /** How a TPE run was suggested; null for other runs. */
    suggestion: Wire<RunSuggestion> | null;
    values: Record<string, Cell>;
  }>;
  importance: Importance[];
  /** The early-stopping rule's rungs (ASHA) or per-epoch medians; null without early stopping. */
  earlyStopping: RungTableData | null;
}

export function SweepPage({ id }: { id: string }) {
  const version = useLiveVersion();
  const { data, error } = useFetch<SweepDetail>(`api/sweeps/${encodeURIComponent(id)}`, version);
  const [brushed, setBrushed] = useState<Set<string> | null>(null);
  const [scatterKey, setScatterKey] = useState<string | null>(null);

  const swept = useMemo(() => (data === null ? [] : orderSwept(data.swept, data.points)), [data]);
  const scored = useMemo(() => (data?.points ?? []).filter((p) => p.objective !== null), [data]);

  const parallel = useMemo<ChartOption | null>(() => {
    if (data === null || swept.length === 0) return null;
    const axes = swept.map((key) => axisOf(key, data.points));
    const objectives = scored.map((p) => p.objective ?? 0);
    return {
      parallelAxis: [
        ...swept.map((key, dim) => {
          const axis = axes[dim] ?? { kind: 'value' };
          return {
            dim,
            name: key,
            ...(axis.kind === 'value' ? { type: 'value', scale: true } : { type: 'category', data: axis.categories }),
          };
        }),
        { dim: swept.length, name: 'objective', type: 'value', scale: true },
      ],
      animation: false,
      parallel: { left: 60, right: 90, top: 40, bottom: 30 },
      visualMap: {
        show: true,
        dimension: swept.length,
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
          data: scored.map((p) => [
            ...swept.map((key, dim) => plotted(axes[dim] ?? { kind: 'value' }, p.values[key])),
            p.objective,
          ]),
        },
      ],
    };
  }, [data, swept, scored]);

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

  // Only parameters with a value get bars (η² and the forest's share side by side); the table
  // below lists every one with its n per group and, where a value is missing, why.
  const estimated = useMemo(
    () => (data?.importance ?? []).filter((p) => p.importance !== null || p.model.importance !== null),
    [data],
  );
  const importance = useMemo<ChartOption | null>(() => {
    if (estimated.length === 0) return null;
    const rows = estimated.slice().reverse();
    return {
      grid: { left: 180, right: 20, top: 10, bottom: 30 },
      legend: { data: [ETA2, FOREST] },
      xAxis: { type: 'value', max: 1, name: 'share of objective' },
      yAxis: { type: 'category', data: rows.map((p) => p.key) },
      // The whole row answers a hover: both values with their n, and the runs per value.
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (items: Array<{ dataIndex: number }>) => {
          const p = rows[items[0]?.dataIndex ?? -1];
          return p === undefined ? '' : htmlLines([html`${p.key}`, ...importanceLines(p)]);
        },
      },
      series: [
        { name: ETA2, type: 'bar', data: rows.map((p) => rounded(p.importance)) },
        { name: FOREST, type: 'bar', data: rows.map((p) => rounded(p.model.importance)) },
      ],
    };
  }, [estimated]);
  const model = data?.importance[0]?.model ?? null;

  // The most important leaf that every scored run has, else the first axis (method.loss in a
  // variants sweep, whose importance one run per method cannot estimate).
  const key =
    scatterKey ??
    estimated.find((p) => p.importance !== null && scored.every((point) => point.values[p.key] != null))?.key ??
    swept[0] ??
    null;
  const scatter = useMemo<ChartOption | null>(() => {
    if (data === null || key === null) return null;
    const axis = axisOf(key, scored);
    return {
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      // The run's label is data: escaped, as in every tooltip.
      tooltip: { formatter: (p: { data: [Cell, number, string] }) => html`${p.data[2]}: ${formatCell(p.data[1])}` },
      xAxis:
        axis.kind === 'value'
          ? { type: 'value', name: key, scale: true }
          : { type: 'category', name: key, data: axis.categories },
      yAxis: { type: 'value', name: data.sweep.objectiveMetric, scale: true },
      series: [
        {
          name: key,
          type: 'scatter',
          data: scored.map((p) => [plotted(axis, p.values[key]), p.objective, p.label]),
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
      {data.earlyStopping !== null && <RungTable table={data.earlyStopping} />}
      <SuggestionChart points={data.points} mode={data.sweep.objectiveMode} metric={data.sweep.objectiveMetric} />
      <section className="card">
        <h2>Hyperparameters vs objective (drag on an axis to filter the table below)</h2>
        {swept.length === 0 && <p data-testid="no-swept">No config value differs between this sweep's runs.</p>}
        {parallel !== null && <Chart option={parallel} testId="parallel-coordinates" height={360} onEvent={onBrush} />}
      </section>
      <div className="grid2">
        <section className="card">
          <h2>Importance</h2>
          <p data-testid="importance-method" style={{ color: '#5b6475' }}>
            {ETA2}: share of objective variance between a parameter's values, one parameter at a time. {FOREST}:{' '}
            {model === null ? 'a random forest' : model.method} over all parameters at once
            {model?.r2 == null ? '' : ` (${model.n} runs, out-of-bag R² ${model.r2.toFixed(2)})`}.
          </p>
          {importance !== null && (
            <Chart option={importance} testId="importance" height={Math.max(160, 56 * estimated.length + 40)} />
          )}
          <table data-testid="importance-table">
            <thead>
              <tr>
                <th>parameter</th>
                <th>{withN(ETA2, data.importance[0]?.n)}</th>
                <th>{withN(FOREST, model?.r2 == null ? undefined : model.n)}</th>
                <th>runs per value (n)</th>
              </tr>
            </thead>
            <tbody>
              {data.importance.map((p) => (
                <tr key={p.key} data-testid="importance-row">
                  <td>{p.key}</td>
                  <td
                    className={p.importance === null ? undefined : 'num'}
                    style={p.importance === null ? { color: '#5b6475', whiteSpace: 'normal' } : undefined}
                    data-testid="importance-value"
                  >
                    {p.importance === null ? p.note : p.importance.toFixed(3)}
                  </td>
                  <td
                    className={p.model.importance === null ? undefined : 'num'}
                    style={p.model.importance === null ? { color: '#5b6475', whiteSpace: 'normal' } : undefined}
                    data-testid="importance-model"
                  >
                    {p.model.importance === null ? p.model.note : p.model.importance.toFixed(3)}
                  </td>
                  <td data-testid="importance-groups" style={{ whiteSpace: 'normal' }}>
                    {groupSizes(p)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>
            Objective vs{' '}
            <select data-testid="scatter-key" value={key ?? ''} onChange={(e) => setScatterKey(e.target.value)}>
              {swept.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </h2>
          {scatter !== null && <Chart option={scatter} testId="param-scatter" height={280} />}
        </section>
      </div>
      <section className="card">
        <h2>Runs {brushed === null ? '' : `(brushed: ${shown.length})`}</h2>
        {/* A variants sweep has many leaf columns: scroll them rather than overflow the card. */}
        <div style={{ overflow: 'auto' }}>
          <table data-testid="sweep-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                {swept.map((k) => (
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
                  {swept.map((k) => (
                    <td key={k}>{formatCell(p.values[k])}</td>
                  ))}
                  <td className="num">{formatCell(p.objective)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** A tooltip's lines for a parameter: each value with its n (or why there is none), the groups' n. */
function importanceLines(p: Importance): string[] {
  return [
    p.importance === null ? html`${ETA2}: ${p.note}` : html`${ETA2} ${p.importance.toFixed(3)} (n=${p.n})`,
    p.model.importance === null
      ? html`${FOREST}: ${p.model.note}`
      : html`${FOREST} ${p.model.importance.toFixed(3)} (n=${p.model.n}, out-of-bag R² ${(p.model.r2 ?? 0).toFixed(2)})`,
    html`runs per value: ${groupSizes(p)}`,
  ];
}

/** A column heading with the runs behind its values, when there are values. */
function withN(name: string, n: number | undefined): string {
  return n === undefined ? name : `${name} (n=${n})`;
}

/** A bar's length, or none (null) where the value could not be estimated. */
function rounded(value: number | null): number | null {
  return value === null ? null : Number(value.toFixed(4));
}

/** `ce n=1 · ldam n=1`: how many scored runs each value (or bin) of a parameter has. */
function groupSizes(p: Importance): string {
  return p.perGroup.map((g) => `${g.value} n=${g.n}`).join(' · ');
}
