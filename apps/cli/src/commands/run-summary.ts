import type { JsonValue, RunDetail, RunRecord, RunStore } from '@ltlab/store';

/** One row of a comparison table: the run and its last test evaluation. */
export interface RunSummary {
  id: string;
  label: string;
  status: string;
  attempt: number;
  /** The last epoch completed, counted from 1 as stored (8 when an 8-epoch run is done). */
  epoch: number | null;
  top1: number | null;
  top5: number | null;
  many: number | null;
  medium: number | null;
  few: number | null;
  objective: number | null;
  error: string | null;
}

export async function summarizeRuns(store: RunStore, runs: readonly RunRecord[]): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (const run of runs) {
    const detail = await store.getRunDetail(run.id);
    const last = detail?.evaluations.filter((e) => e.split === 'test').at(-1);
    out.push({
      id: run.id,
      label: run.label,
      status: run.status,
      attempt: run.attempt,
      epoch: run.lastEpoch,
      top1: last?.top1 ?? null,
      top5: last?.top5 ?? null,
      many: last?.many ?? null,
      medium: last?.medium ?? null,
      few: last?.few ?? null,
      objective: run.objective,
      error: run.errorCode === null ? null : `${run.errorCode}: ${run.errorMessage ?? ''}`,
    });
  }
  return out;
}

/**
 * Percentages for humans; the JSON keeps fractions. With `ids` (`runs list`, `runs compare`) the
 * id is a column of its own, what `runs show` and `runs compare` take, and the label stands beside it.
 */
export function percentRows(
  rows: readonly RunSummary[],
  options: { ids?: boolean } = {},
): Array<Record<string, unknown>> {
  const pct = (v: number | null) => (v === null ? null : `${(100 * v).toFixed(2)}`);
  return rows.map((r) => ({
    ...(options.ids === true ? { id: r.id, label: r.label || null } : { run: r.label || r.id }),
    status: r.status,
    epoch: r.epoch,
    'top-1 %': pct(r.top1),
    'many %': pct(r.many),
    'medium %': pct(r.medium),
    'few %': pct(r.few),
    ...(r.error === null ? {} : { error: r.error }),
  }));
}

type StoredEvaluation = RunDetail['evaluations'][number];

/** A stored segmentation block's score, or null (absent, or undefined and stored as null). */
function score(block: JsonValue | undefined, ...path: string[]): number | null {
  let value: JsonValue | undefined = block;
  for (const key of path) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  }
  return typeof value === 'number' ? value : null;
}

/**
 * The evaluations table of `runs show`, one row per evaluation, scores as stored (fractions). A
 * segmentation evaluation (docs/segmentation.md "Metrics") shows mIoU, pixel accuracy (aAcc),
 * mean class accuracy (mAcc) and head / body / tail IoU by image-level class frequency in place
 * of top-1 and many / medium / few; per-class results and confusions stay in `--json`.
 */
export function evaluationRows(evaluations: readonly StoredEvaluation[]): Array<Record<string, unknown>> {
  return evaluations.map(({ perClass: _p, confusion: _c, runId: _r, segmentation, ...e }) =>
    segmentation === undefined
      ? e
      : {
          split: e.split,
          epoch: e.epoch,
          mIoU: score(segmentation, 'mIoU'),
          aAcc: score(segmentation, 'pixelAccuracy'),
          mAcc: score(segmentation, 'meanClassAccuracy'),
          headIoU: score(segmentation, 'frequencyGroups', 'head'),
          bodyIoU: score(segmentation, 'frequencyGroups', 'body'),
          tailIoU: score(segmentation, 'frequencyGroups', 'tail'),
        },
  );
}

/**
 * What `runs show` says of how the latest attempt began: the checkpoint it resumed from, and each
 * checkpoint it rejected with the reason, or that it rejected them all and began again at epoch 1.
 */
export function resumeLines(detail: Pick<RunDetail, 'resumedFrom' | 'rejectedCheckpoints'>): string[] {
  const rejected = detail.rejectedCheckpoints;
  const lines: string[] = [];
  if (detail.resumedFrom !== null) lines.push(`resumed from ${detail.resumedFrom}`);
  else if (rejected.length > 0)
    lines.push(`WARNING: all ${rejected.length} checkpoint(s) rejected: training started again from epoch 1`);
  for (const { file, code, reason } of rejected) lines.push(`  rejected ${file} [${code}]: ${reason}`);
  return lines;
}

/**
 * What `runs show` says of where the run ran and how it was suggested: the commit, the versions
 * of ltlab's packages and TF.js, backend, device, Node and platform (the latest attempt's
 * `started` event), and a TPE run's suggestion record. Nothing for a run recorded before these.
 */
export function provenanceLines(detail: Pick<RunDetail, 'run' | 'provenance'>): string[] {
  const lines: string[] = [];
  const { run, provenance } = detail;
  if (run.gitCommit !== null) lines.push(`commit ${run.gitCommit}${run.gitDirty === true ? ' (dirty)' : ''}`);
  if (provenance !== null) {
    lines.push(
      `provenance: node ${provenance.node} on ${provenance.platform}, TF.js ${provenance.tfjs}, backend ${provenance.backend}${provenance.device === null ? '' : ` (${provenance.device})`}`,
    );
    const packages = Object.entries(provenance.packages).map(([name, version]) => `${name}@${version}`);
    if (packages.length > 0) lines.push(`  packages ${packages.join(' ')}`);
  }
  const s = run.suggestion;
  if (s !== null) {
    const inputs = s.algorithm === 'tpe' ? ` on ${s.conditionedOn} result(s), best so far ${s.inputs.best ?? '-'}` : '';
    lines.push(`suggestion ${s.algorithm} #${s.index}${inputs}`);
  }
  return lines;
}
