import { useMemo } from 'react';
import { type Evaluation, formatCell, type RunPageData, useFetch, useLiveVersion } from '../api.js';
import { Chart } from '../Chart.js';
import { classLabels } from '../class-names.js';
import { confusionOption } from './confusion.js';
import { curveOption, curveSeries } from './curves.js';
import { FREQUENCY_GROUP_COLORS, IOU_VS_IMAGE_FREQUENCY, longTailOverlayOption } from './long-tail-overlay.js';
import { ProvenanceBlock } from './ProvenanceBlock.js';
import { ResumeNotice } from './ResumeNotice.js';
import {
  frequencyGroupSizes,
  iouVsFrequencyRun,
  isSegmentationEvaluation,
  segmentationScoreRows,
} from './segmentation-summary.js';

const SEGMENTATION_COLUMNS = [
  ['mIoU', 'mIoU'],
  ['aAcc', 'pixel accuracy'],
  ['mAcc', 'mean class accuracy'],
  ['headIoU', 'head IoU'],
  ['bodyIoU', 'body IoU'],
  ['tailIoU', 'tail IoU'],
] as const;

function latestBySplit(evaluations: readonly Evaluation[]): Evaluation[] {
  const bySplit = new Map<string, Evaluation>();
  for (const e of evaluations) if ((bySplit.get(e.split)?.epoch ?? -1) < e.epoch) bySplit.set(e.split, e);
  return [...bySplit.values()];
}

/** Per-class accuracy against training count; `labels` names the classes (numbers where unknown). */
export function longTailOption(evaluation: Evaluation, labels: readonly string[] = []) {
  const accuracy = evaluation.perClass?.accuracy ?? [];
  const counts = evaluation.perClass?.trainCounts ?? [];
  // Classes ordered from head to tail by training count, the usual long-tail picture.
  const order = accuracy.map((_, c) => c).sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 55, right: 60, top: 40, bottom: 40 },
    xAxis: {
      type: 'category',
      name: 'class (head → tail)',
      nameLocation: 'middle',
      nameGap: 25,
      data: order.map((c) => labels[c] ?? String(c)),
    },
    yAxis: [
      { type: 'value', name: 'accuracy', min: 0, max: 1 },
      { type: 'log', name: 'train count' },
    ],
    series: [
      { name: 'accuracy', type: 'bar', data: order.map((c) => accuracy[c] ?? null) },
      { name: 'train count', type: 'line', yAxisIndex: 1, data: order.map((c) => counts[c] ?? null) },
    ],
  };
}

export function RunPage({ id }: { id: string }) {
  const version = useLiveVersion();
  const { data, error } = useFetch<RunPageData>(`api/runs/${encodeURIComponent(id)}`, version);
  const metricNames = useMemo(() => [...new Set((data?.metrics ?? []).map((p) => p.name))].sort(), [data]);
  const latest = useMemo(() => latestBySplit(data?.evaluations ?? []), [data]);
  if (error !== null) return <p className="error">{error}</p>;
  if (data === null) return <p>Loading…</p>;
  const { run, epochs, checkpoints } = data;
  const best = checkpoints.best;
  const bestValue = best?.selection?.value ?? null;
  const withPerClass = latest.find((e) => e.perClass?.accuracy !== undefined);
  const segmentation = segmentationScoreRows(latest);
  // The test split's evaluation when there is one (the benchmark's balanced set), else any.
  const segmented = latest.filter(isSegmentationEvaluation);
  const withSegmentation = segmented.find((e) => e.split === 'test') ?? segmented[0];
  const withConfusion = latest.find((e) => Array.isArray(e.confusion));
  // A segmentation evaluation keeps its pixel confusion in its block.
  const confusion = withConfusion?.confusion ?? withSegmentation?.segmentation.confusion;
  const timeline = [
    ['queued', run.queuedAt],
    ['started', run.startedAt],
    ['last heartbeat', run.heartbeatAt],
    [run.status === 'succeeded' ? 'finished' : run.status, run.finishedAt],
  ] as const;
  return (
    <>
      <section className="card">
        <h1>
          {run.label || run.id} <span className={`status-${run.status}`}>{run.status}</span>
        </h1>
        <div className="toolbar" data-testid="timeline">
          {timeline.map(([what, at]) => (
            <span key={what} className="chip">
              {what}: {at === null ? '—' : new Date(at).toLocaleString()}
            </span>
          ))}
          <span className="chip">attempt {run.attempt}</span>
          <span className="chip">
            {run.node ?? '—'} / {run.slot ?? '—'}
          </span>
          <span className="chip" data-testid="run-epoch">
            epoch {formatCell(run.lastEpoch)} of {epochs.max}
          </span>
        </div>
        {run.errorCode !== null && (
          <p className="error" data-testid="run-error">
            <strong>{run.errorCode}</strong> {run.errorMessage}
          </p>
        )}
        {segmentation.length > 0 && (
          <table data-testid="segmentation-scores">
            <thead>
              <tr>
                <th>split</th>
                {SEGMENTATION_COLUMNS.map(([key, label]) => (
                  <th key={key}>{label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {segmentation.map((row) => (
                <tr key={row.split} data-split={row.split}>
                  <td>
                    {row.split} (epoch {row.epoch})
                  </td>
                  {SEGMENTATION_COLUMNS.map(([key]) => (
                    <td key={key} className="num" data-testid={`segmentation-${row.split}-${key}`}>
                      {formatCell(row[key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ResumeNotice resumedFrom={data.resumedFrom ?? null} rejected={data.rejectedCheckpoints ?? []} />
      </section>
      <ProvenanceBlock run={run} provenance={data.provenance ?? null} />
      <div className="grid2">
        {metricNames.map((name) => {
          const option = curveOption(curveSeries(data.metrics, name, '', 'epoch', 0), name, 'epoch', name === 'lr');
          // Epochs count from 1: the axis spans the run's planned epochs, 1..8 for an 8-epoch run.
          const xAxis = { ...option.xAxis, min: epochs.min, max: epochs.max, minInterval: 1 };
          return (
            <section className="card" key={name} data-testid="curve-card" data-x-range={`${epochs.min}-${epochs.max}`}>
              <Chart testId={`curve-${name}`} option={{ ...option, xAxis }} height={260} />
            </section>
          );
        })}
      </div>
      <div className="grid2">
        {segmentation.length > 0 ? (
          <section className="card">
            <h2>Head / body / tail IoU</h2>
            <Chart
              testId="hbt-bars"
              height={260}
              option={{
                tooltip: {},
                legend: {},
                xAxis: { type: 'category', data: ['head', 'body', 'tail', 'mIoU'] },
                yAxis: { type: 'value', min: 0, max: 1 },
                series: segmentation.map((row) => ({
                  name: `${row.split} (epoch ${row.epoch})`,
                  type: 'bar',
                  data: [row.headIoU, row.bodyIoU, row.tailIoU, row.mIoU],
                })),
              }}
            />
          </section>
        ) : (
          <section className="card">
            <h2>Many / medium / few</h2>
            <Chart
              testId="mmf-bars"
              height={260}
              option={{
                tooltip: {},
                legend: {},
                xAxis: { type: 'category', data: ['many', 'medium', 'few', 'top1'] },
                yAxis: { type: 'value', min: 0, max: 1 },
                series: latest.map((e) => ({
                  name: `${e.split} (epoch ${e.epoch})`,
                  type: 'bar',
                  data: [e.many ?? null, e.medium ?? null, e.few ?? null, e.top1],
                })),
              }}
            />
          </section>
        )}
        {withSegmentation !== undefined ? (
          <section className="card">
            <h2>
              Per-class IoU vs class frequency ({withSegmentation.split}, epoch {withSegmentation.epoch})
            </h2>
            <Chart
              testId="iou-vs-frequency"
              height={300}
              option={longTailOverlayOption(
                [
                  iouVsFrequencyRun(
                    `${withSegmentation.split} IoU`,
                    withSegmentation.segmentation,
                    classLabels(run.config, withSegmentation.segmentation.numClasses),
                  ),
                ],
                IOU_VS_IMAGE_FREQUENCY,
              )}
            />
            <p className="caption" data-testid="frequency-groups">
              {Object.entries(frequencyGroupSizes(withSegmentation.segmentation)).map(([group, size]) => (
                <span key={group} className="chip">
                  <span style={{ color: FREQUENCY_GROUP_COLORS[group as keyof typeof FREQUENCY_GROUP_COLORS] }}>●</span>{' '}
                  {group}: {size.classes} classes
                </span>
              ))}{' '}
              by training images containing the class; a class without an IoU (absent from labels and predictions) or a
              training image is not drawn.
            </p>
          </section>
        ) : (
          <section className="card">
            <h2>Per-class accuracy vs training count</h2>
            {withPerClass === undefined ? (
              <p>No per-class evaluation yet.</p>
            ) : (
              <Chart
                testId="perclass-chart"
                height={260}
                option={longTailOption(
                  withPerClass,
                  classLabels(run.config, withPerClass.perClass?.accuracy?.length ?? 0),
                )}
              />
            )}
          </section>
        )}
        <section className="card">
          <h2>Confusion matrix</h2>
          {confusion === undefined ? (
            <p>No confusion matrix yet.</p>
          ) : (
            <Chart
              testId="confusion"
              height={320}
              option={confusionOption(confusion, classLabels(run.config, confusion.length))}
            />
          )}
        </section>
      </div>
      <div className="grid2">
        <section className="card">
          <h2>Config</h2>
          <table data-testid="run-config">
            <tbody>
              {data.hyperparameters.map((p) => (
                <tr key={p.key}>
                  <td style={{ fontWeight: p.swept ? 700 : 400 }}>{p.key}</td>
                  <td>{JSON.stringify(p.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>Checkpoints</h2>
          {/* Only files on disk: those checkpoint.keepLast deleted are left out; best.ckpt is marked. */}
          <table data-testid="checkpoints">
            <tbody>
              {checkpoints.files.map((f) => (
                <tr key={f.path} data-testid="checkpoint-row" data-file={f.file}>
                  <td>{f.path}</td>
                  <td>{f.file === 'best' ? <strong>best</strong> : 'epoch'}</td>
                  <td className="num">epoch {formatCell(f.epoch)}</td>
                  <td className="num">{f.sizeBytes === null ? '—' : `${(f.sizeBytes / 1e6).toFixed(1)} MB`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {best !== null && (
            <p data-testid="best-basis">
              best.ckpt holds epoch {formatCell(best.epoch)}: {best.basis}
              {bestValue === null ? '' : ` (${formatCell(bestValue)})`}
            </p>
          )}
          <h2>Console</h2>
          <pre className="console" data-testid="console">
            {data.console?.join('\n') ?? run.errorMessage ?? 'No console log recorded for this run.'}
          </pre>
        </section>
      </div>
    </>
  );
}
