import { useMemo, useState } from 'react';
import { type Evaluation, type RunDetail, useFetch, useLiveVersion } from '../api.js';
import { Chart } from '../Chart.js';
import { curveOption, curveSeries, type XAxis } from './curves.js';

interface Comparison {
  runs: RunDetail[];
  diff: Array<{ key: string; values: unknown[] }>;
}

function lastEvaluation(detail: RunDetail): Evaluation | undefined {
  return (
    detail.evaluations.filter((e) => e.split === 'val' || e.split === 'test').sort((a, b) => b.epoch - a.epoch)[0] ??
    detail.evaluations.at(-1)
  );
}

export function ComparePage({ ids }: { ids: string[] }) {
  const version = useLiveVersion();
  const { data, error } = useFetch<Comparison>(
    ids.length >= 2 ? `api/compare?ids=${ids.map(encodeURIComponent).join(',')}` : null,
    version,
  );
  const [smoothing, setSmoothing] = useState(0);
  const [xAxis, setXAxis] = useState<XAxis>('epoch');
  const [klass, setKlass] = useState(0);
  const metricNames = useMemo(
    () => [...new Set((data?.runs ?? []).flatMap((r) => r.metrics.map((p) => p.name)))].sort(),
    [data],
  );
  if (ids.length < 2) return <p>Select 2 to 20 runs in the runs table to compare them.</p>;
  if (error !== null) return <p className="error">{error}</p>;
  if (data === null) return <p>Loading…</p>;
  const name = (r: RunDetail) => r.run.label || r.run.id;
  const classes = Math.max(0, ...data.runs.map((r) => lastEvaluation(r)?.perClass?.accuracy?.length ?? 0));
  return (
    <>
      <section className="card">
        <h1>Compare {data.runs.length} runs</h1>
        <div className="toolbar">
          <label>
            Smoothing {smoothing.toFixed(2)}{' '}
            <input
              data-testid="smoothing"
              type="range"
              min={0}
              max={0.95}
              step={0.05}
              value={smoothing}
              onChange={(e) => setSmoothing(Number(e.target.value))}
            />
          </label>
          <label>
            x-axis{' '}
            <select data-testid="x-axis" value={xAxis} onChange={(e) => setXAxis(e.target.value as XAxis)}>
              <option value="epoch">epoch</option>
              <option value="time">time</option>
            </select>
          </label>
        </div>
      </section>
      <div className="grid2">
        {metricNames.map((metric) => (
          <section className="card" key={metric}>
            <Chart
              testId={`compare-curves-${metric}`}
              height={300}
              option={curveOption(
                data.runs.flatMap((r) => curveSeries(r.metrics, metric, `${name(r)} · `, xAxis, smoothing)),
                metric,
                xAxis,
                metric === 'lr',
              )}
            />
          </section>
        ))}
      </div>
      <div className="grid2">
        <section className="card">
          <h2>Many / medium / few</h2>
          <Chart
            testId="compare-mmf"
            height={280}
            option={{
              tooltip: {},
              legend: { type: 'scroll' },
              grid: { top: 50 },
              xAxis: { type: 'category', data: ['many', 'medium', 'few', 'top1'] },
              yAxis: { type: 'value', min: 0, max: 1 },
              series: data.runs.map((r) => {
                const e = lastEvaluation(r);
                return {
                  name: name(r),
                  type: 'bar',
                  data: e === undefined ? [] : [e.many ?? null, e.medium ?? null, e.few ?? null, e.top1],
                };
              }),
            }}
          />
        </section>
        <section className="card">
          <h2>
            Per-class accuracy over epochs, class{' '}
            <select value={klass} onChange={(e) => setKlass(Number(e.target.value))}>
              {Array.from({ length: classes }, (_, c) => `class-${c}`).map((optionKey, c) => (
                <option key={optionKey} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </h2>
          <Chart
            testId="compare-perclass"
            height={280}
            option={curveOption(
              data.runs.map((r) => ({
                name: name(r),
                type: 'line',
                data: r.evaluations
                  .filter((e) => e.split === (lastEvaluation(r)?.split ?? 'val') && e.perClass?.accuracy !== undefined)
                  .sort((a, b) => a.epoch - b.epoch)
                  .map((e) => [e.epoch, e.perClass?.accuracy?.[klass] ?? null]),
              })),
              `class ${klass} accuracy`,
              'epoch',
            )}
          />
        </section>
      </div>
      <section className="card">
        <h2>Config differences ({data.diff.length} keys differ)</h2>
        <table className="diff" data-testid="config-diff">
          <thead>
            <tr>
              <th>key</th>
              {data.runs.map((r) => (
                <th key={r.run.id}>{name(r)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.diff.map((d) => (
              <tr key={d.key} data-testid="diff-row">
                <td>{d.key}</td>
                {data.runs.map((r, i) => (
                  <td key={r.run.id}>{d.values[i] === undefined ? '(absent)' : JSON.stringify(d.values[i])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
