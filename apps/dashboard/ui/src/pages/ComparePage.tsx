import { useMemo, useState } from 'react';
import { type Evaluation, type RunDetail, useFetch, useLiveVersion } from '../api.js';
import { Chart } from '../Chart.js';
import { classLabels, sharedClassLabels } from '../class-names.js';
import { confusionOption, rowNormalise } from './confusion.js';
import { curveOption, curveSeries, type XAxis } from './curves.js';
import { longTailOverlayOption, SHOT_THRESHOLDS, shotGroupSizes } from './long-tail-overlay.js';

interface Comparison {
  runs: RunDetail[];
  diff: Array<{ key: string; values: unknown[] }>;
}

/** The latest evaluation of a run on a split (the highest epoch). */
function latestOn(detail: RunDetail, split: string): Evaluation | undefined {
  return detail.evaluations.filter((e) => e.split === split).sort((a, b) => b.epoch - a.epoch)[0];
}

/** Test when any run has it (the balanced test set is what long-tail papers report), else val. */
function defaultSplit(splits: readonly string[]): string {
  return splits.includes('test') ? 'test' : splits.includes('val') ? 'val' : (splits[0] ?? 'test');
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
  const [chosenSplit, setChosenSplit] = useState<string | null>(null);
  const [confusionRun, setConfusionRun] = useState<string | null>(null);
  const metricNames = useMemo(
    () => [...new Set((data?.runs ?? []).flatMap((r) => r.metrics.map((p) => p.name)))].sort(),
    [data],
  );
  const splits = useMemo(
    () => [...new Set((data?.runs ?? []).flatMap((r) => r.evaluations.map((e) => e.split)))].sort(),
    [data],
  );
  if (ids.length < 2) return <p>Select 2 to 20 runs in the runs table to compare them.</p>;
  if (error !== null) return <p className="error">{error}</p>;
  if (data === null) return <p>Loading…</p>;
  const split = chosenSplit !== null && splits.includes(chosenSplit) ? chosenSplit : defaultSplit(splits);
  const name = (r: RunDetail) => r.run.label || r.run.id;
  const latest = data.runs.map((r) => ({ detail: r, evaluation: latestOn(r, split) }));
  const perClass = latest.flatMap(({ detail, evaluation }) => {
    const accuracy = evaluation?.perClass?.accuracy;
    const trainCounts = evaluation?.perClass?.trainCounts;
    if (accuracy === undefined || trainCounts === undefined) return [];
    return [{ detail, accuracy, trainCounts, classNames: classLabels(detail.run.config, accuracy.length) }];
  });
  const withoutPerClass = latest.filter(({ detail }) => !perClass.some((p) => p.detail === detail));
  // The shaded ranges are counted on the first run's classes (runs of one data set share them).
  const reference = perClass[0];
  const sizes = reference === undefined ? null : shotGroupSizes(reference.trainCounts);
  const classes = Math.max(0, ...perClass.map((p) => p.accuracy.length));
  const overClasses = sharedClassLabels(
    data.runs.map((r) => r.run.config),
    classes,
  );
  const withConfusion = latest.filter(({ evaluation }) => Array.isArray(evaluation?.confusion));
  const confusion = withConfusion.find(({ detail }) => detail.run.id === confusionRun) ?? withConfusion[0] ?? undefined;
  const matrix = confusion?.evaluation?.confusion;
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
          <label>
            evaluation{' '}
            <select data-testid="eval-split" value={split} onChange={(e) => setChosenSplit(e.target.value)}>
              {splits.map((s) => (
                <option key={s} value={s}>
                  {s} (latest epoch)
                </option>
              ))}
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
      <section className="card">
        <h2>Per-class accuracy vs training count ({split})</h2>
        {perClass.length === 0 ? (
          <p>No run has a per-class evaluation on {split}.</p>
        ) : (
          <>
            <Chart
              testId="compare-longtail"
              height={380}
              option={longTailOverlayOption(
                perClass.map((p) => ({
                  name: name(p.detail),
                  scores: p.accuracy,
                  trainCounts: p.trainCounts,
                  classNames: p.classNames,
                })),
              )}
            />
            {sizes !== null && (
              <p className="caption" data-testid="shot-bands">
                Shaded: many-shot (more than {SHOT_THRESHOLDS.many} training images, {sizes.many} classes), medium (
                {SHOT_THRESHOLDS.few}–{SHOT_THRESHOLDS.many}, {sizes.medium}), few-shot (fewer than{' '}
                {SHOT_THRESHOLDS.few}, {sizes.few})
                {reference !== undefined && perClass.length > 1 ? `, counted on ${name(reference.detail)}` : ''}.
              </p>
            )}
            {withoutPerClass.length > 0 && (
              <p className="caption">
                No per-class evaluation on {split}: {withoutPerClass.map(({ detail }) => name(detail)).join(', ')}.
              </p>
            )}
          </>
        )}
      </section>
      <div className="grid2">
        <section className="card">
          <h2>Many / medium / few ({split})</h2>
          <Chart
            testId="compare-mmf"
            height={300}
            option={{
              tooltip: {},
              legend: {},
              grid: { top: 50 },
              xAxis: { type: 'category', data: ['many', 'medium', 'few', 'top1'] },
              yAxis: { type: 'value', min: 0, max: 1 },
              series: latest.map(({ detail, evaluation: e }) => ({
                name: name(detail),
                type: 'bar',
                data: e === undefined ? [] : [e.many ?? null, e.medium ?? null, e.few ?? null, e.top1],
              })),
            }}
          />
        </section>
        <section className="card">
          <h2>
            Per-class accuracy over epochs, class{' '}
            <select data-testid="compare-class" value={klass} onChange={(e) => setKlass(Number(e.target.value))}>
              {overClasses.map((label, c) => {
                const text = label === String(c) ? label : `${c} · ${label}`;
                return (
                  <option key={text} value={c}>
                    {text}
                  </option>
                );
              })}
            </select>
          </h2>
          <Chart
            testId="compare-perclass"
            height={300}
            option={curveOption(
              data.runs.map((r) => ({
                name: name(r),
                type: 'line',
                data: r.evaluations
                  .filter((e) => e.split === split && e.perClass?.accuracy !== undefined)
                  .sort((a, b) => a.epoch - b.epoch)
                  .map((e) => [e.epoch, e.perClass?.accuracy?.[klass] ?? null]),
              })),
              `${overClasses[klass] ?? klass} accuracy (${split})`,
              'epoch',
            )}
          />
        </section>
      </div>
      <section className="card">
        <h2>
          Confusion matrix, rows normalised ({split}){' '}
          {withConfusion.length > 0 && (
            <select
              data-testid="confusion-run"
              value={confusion?.detail.run.id ?? ''}
              onChange={(e) => setConfusionRun(e.target.value)}
            >
              {withConfusion.map(({ detail }) => (
                <option key={detail.run.id} value={detail.run.id}>
                  {name(detail)}
                </option>
              ))}
            </select>
          )}
        </h2>
        {matrix === undefined || confusion === undefined ? (
          <p>No run has a confusion matrix on {split}.</p>
        ) : (
          <div
            className="confusion"
            data-row-sums={rowNormalise(matrix)
              .map((row) => row.reduce((s, v) => s + v, 0).toFixed(3))
              .join(',')}
          >
            <Chart
              testId="compare-confusion"
              height={Math.min(720, 160 + 34 * matrix.length)}
              option={confusionOption(matrix, classLabels(confusion.detail.run.config, matrix.length))}
            />
            <p className="caption">
              Each row is a true class; a cell is the share of that class's {split} images predicted as the column's
              class, so head and tail classes read on one scale.
            </p>
          </div>
        )}
      </section>
      <section className="card">
        <h2>Config differences ({data.diff.length} keys differ)</h2>
        <div className="scroll-x">
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
        </div>
      </section>
    </>
  );
}
