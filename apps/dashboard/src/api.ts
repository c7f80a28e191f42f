import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import {
  checkpointsOnDisk,
  configDiff,
  epochAxis,
  type RunExplorer,
  type RunStore,
  type RunTableQuery,
  type RunTableScope,
  sweepRungTable,
} from '@ltlab/store';
import {
  columnsQuerySchema,
  compareQuerySchema,
  exportQuerySchema,
  groupCurvesQuerySchema,
  groupQuerySchema,
  type scopeSchema,
  tableQuerySchema,
  varyingQuerySchema,
} from './api-schemas.js';
import { groupCurves, type RunSeries } from './group-curves.js';
import { parameterImportance } from './importance.js';
import { VaryingKeys } from './varying-keys.js';
import { type WideScope, widePages } from './wide-pages.js';

export type DashboardStore = RunStore & RunExplorer;

export interface ApiContext {
  store: DashboardStore;
  /** Where run directories live (`<root>/<run id>/console.log` gives the console tail). */
  artifactRoot?: string;
  /** A worker whose heartbeat is older than this is shown as stale. */
  staleAfterMs: number;
}

type Params = Record<string, string>;

function scope(values: ReturnType<typeof scopeSchema.parse>): RunTableScope {
  return {
    ...(values.sweep === undefined ? {} : { sweepId: values.sweep }),
    ...(values.status === undefined ? {} : { status: values.status }),
    ...(values.ids === undefined ? {} : { ids: values.ids }),
    ...(values.filters === undefined ? {} : { filters: values.filters }),
  };
}

export async function listRunsTable(ctx: ApiContext, params: Params) {
  const q = parseOrThrow(tableQuerySchema, params, 'runs query');
  const query: RunTableQuery = {
    ...scope(q),
    columns: q.columns,
    limit: q.limit,
    offset: q.offset,
    ...(q.sort === undefined ? {} : { sort: { column: q.sort, direction: q.dir } }),
  };
  const page = await ctx.store.queryRunTable(query);
  return { total: page.total, offset: q.offset, limit: q.limit, rows: page.rows };
}

export async function groupRunsTable(ctx: ApiContext, params: Params) {
  const q = parseOrThrow(groupQuerySchema, params, 'group query');
  return { groups: await ctx.store.groupRuns({ ...scope(q), groupBy: q.groupBy, metrics: q.metrics }) };
}

/** The runs of a table view to export (`runsExportCsv`): its scope and order. */
export function exportScope(params: Params): WideScope {
  const q = parseOrThrow(exportQuerySchema, params, 'export query');
  return { ...scope(q), ...(q.sort === undefined ? {} : { sort: { column: q.sort, direction: q.dir } }) };
}

/**
 * The hyperparameters that differ between the runs of a view (a key one run lacks included):
 * what "group by everything except seed" groups by, across sweeps too.
 */
export async function varyingColumns(ctx: ApiContext, params: Params) {
  const q = parseOrThrow(varyingQuerySchema, params, 'varying columns query');
  const keys = (await ctx.store.listColumns(q.sweep)).hyperparameters.map((param) => param.key);
  const tracker = new VaryingKeys(keys);
  let runs = 0;
  for await (const page of widePages(ctx.store, scope(q), keys)) {
    for (const row of page) tracker.add(Object.fromEntries(keys.map((key) => [key, row.values[`hp:${key}`]])));
    runs += page.length;
    if (tracker.undecided.length === 0) break;
  }
  return { keys: tracker.varying, runs };
}

/** More runs than this and the aggregated curves ask for a narrower view (one detail read per run). */
export const MAX_CURVE_RUNS = 2000;

/**
 * Aggregated curves of a grouped view: one metric series, mean ± sample std per epoch over the
 * runs of each group (the seeds of a configuration), n per epoch.
 */
export async function groupCurvesOf(ctx: ApiContext, params: Params) {
  const q = parseOrThrow(groupCurvesQuerySchema, params, 'group curves query');
  const [, split = '', name = ''] = /^metric:([^:]+):(.+)$/.exec(q.series) ?? [];
  const page = await ctx.store.queryRunTable({
    ...scope(q),
    columns: q.groupBy.map((key) => `hp:${key}`),
    limit: MAX_CURVE_RUNS,
  });
  if (page.total > MAX_CURVE_RUNS) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Aggregated curves cover at most ${MAX_CURVE_RUNS} runs; this view has ${page.total}.`,
      { fix: 'Narrow the view with a filter or a status first.' },
    );
  }
  // Eight detail reads at a time; results keep the view's order, so groups appear in it.
  const runs: RunSeries[] = new Array(page.rows.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < page.rows.length; index = next++) {
      const row = page.rows[index] as (typeof page.rows)[number];
      const detail = await ctx.store.getRunDetail(row.run.id);
      runs[index] = {
        key: Object.fromEntries(q.groupBy.map((key) => [key, row.values[`hp:${key}`] ?? null])),
        points: (detail?.metrics ?? []).filter((p) => p.split === split && p.name === name),
      };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { series: q.series, groupBy: q.groupBy, runs: page.total, groups: groupCurves(runs, q.groupBy) };
}

export async function listColumns(ctx: ApiContext, params: Params) {
  const q = parseOrThrow(columnsQuerySchema, params, 'columns query');
  return ctx.store.listColumns(q.sweep);
}

async function bestRun(ctx: ApiContext, sweepId: string, mode: 'max' | 'min') {
  const page = await ctx.store.queryRunTable({
    sweepId,
    filters: [{ column: 'run:objective', min: -Number.MAX_VALUE }],
    sort: { column: 'run:objective', direction: mode === 'max' ? 'desc' : 'asc' },
    limit: 1,
  });
  const run = page.rows[0]?.run;
  return run === undefined ? null : { id: run.id, label: run.label, objective: run.objective, status: run.status };
}

export async function listSweeps(ctx: ApiContext) {
  const sweeps = await ctx.store.listSweeps();
  return {
    sweeps: await Promise.all(
      sweeps.map(async (sweep) => ({
        ...sweep,
        counts: await ctx.store.countRunsByStatus(sweep.id),
        best: await bestRun(ctx, sweep.id, sweep.objectiveMode),
      })),
    ),
  };
}

/** The sweep page: progress, best run, every run's swept values (parallel coordinates), importance. */
export async function sweepDetail(ctx: ApiContext, id: string) {
  const sweep = await ctx.store.getSweep(id);
  if (sweep === null)
    throw new LtlabError('RUN.NOT_FOUND', `No sweep '${id}'.`, { fix: 'List sweeps at /api/sweeps.' });
  const columns = await ctx.store.listColumns(id);
  const swept = columns.hyperparameters.filter((param) => param.swept).map((param) => param.key);
  const all = await ctx.store.queryRunTable({
    sweepId: id,
    columns: swept.map((key) => `hp:${key}`),
    limit: 10_000,
  });
  const points = all.rows.map((row) => ({
    id: row.run.id,
    label: row.run.label,
    status: row.run.status,
    objective: row.run.objective,
    // A TPE run's suggestion record: the sweep page plots objective against suggestion index.
    suggestion: row.run.suggestion,
    values: Object.fromEntries(swept.map((key) => [key, row.values[`hp:${key}`] ?? null])),
  }));
  return {
    sweep,
    counts: await ctx.store.countRunsByStatus(id),
    best: await bestRun(ctx, id, sweep.objectiveMode),
    swept,
    columns,
    points,
    importance: parameterImportance(swept, points),
    earlyStopping: await sweepRungTable(ctx.store, sweep),
  };
}

const CONSOLE_TAIL_BYTES = 16_384;

async function consoleTail(root: string | undefined, runId: string): Promise<string[] | null> {
  if (root === undefined || !/^[\w.-]+$/.test(runId) || runId.startsWith('.')) return null;
  const path = join(root, runId, 'console.log');
  try {
    const info = await stat(path);
    const handle = await open(path, 'r');
    try {
      const start = Math.max(0, info.size - CONSOLE_TAIL_BYTES);
      const buffer = Buffer.alloc(info.size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const lines = buffer.toString('utf8').split('\n');
      if (start > 0) lines.shift();
      return lines.slice(-200);
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/**
 * The run page: the stored detail, the epoch axis of its charts (1..planned epochs), the
 * checkpoints on disk (best.ckpt with what chose it) and the console tail.
 */
export async function runDetail(ctx: ApiContext, id: string) {
  const detail = await ctx.store.getRunDetail(id);
  if (detail === null) throw new LtlabError('RUN.NOT_FOUND', `No run '${id}'.`, { fix: 'Find run ids at /api/runs.' });
  return {
    ...detail,
    epochs: epochAxis(detail),
    checkpoints: checkpointsOnDisk(detail.artifacts),
    console: await consoleTail(ctx.artifactRoot, id),
  };
}

export async function compareRuns(ctx: ApiContext, params: Params) {
  const q = parseOrThrow(compareQuerySchema, params, 'compare query');
  const details = await Promise.all(q.ids.map((id) => ctx.store.getRunDetail(id)));
  const missing = q.ids.filter((_, index) => details[index] === null);
  if (missing.length > 0) {
    throw new LtlabError('RUN.NOT_FOUND', `No runs ${missing.join(', ')}.`, {
      fix: 'Compare runs listed at /api/runs.',
    });
  }
  const runs = details.filter((detail) => detail !== null);
  return { runs, diff: configDiff(runs.map((detail) => detail.run.config)) };
}

export async function listWorkers(ctx: ApiContext) {
  const now = Date.now();
  const workers = await ctx.store.listWorkers();
  const runIds = workers.map((w) => w.currentRunId).filter((id): id is string => id !== null);
  const current =
    runIds.length === 0
      ? []
      : (await ctx.store.queryRunTable({ ids: runIds, limit: runIds.length })).rows.map((r) => r.run);
  const byId = new Map(current.map((run) => [run.id, run]));
  const queue = await ctx.store.countRunsByStatus();
  return {
    queue,
    workers: workers.map((worker) => ({
      ...worker,
      stale: now - worker.heartbeatAt.getTime() > ctx.staleAfterMs,
      currentRun: worker.currentRunId === null ? null : (byId.get(worker.currentRunId) ?? null),
    })),
  };
}

export function statusOf(error: unknown): number {
  if (error instanceof LtlabError) {
    if (error.code === 'CONFIG.INVALID' || error.code === 'CONFIG.UNKNOWN_NAME') return 400;
    if (error.code === 'RUN.NOT_FOUND') return 404;
    if (error.code === 'STORE.UNAVAILABLE' || error.code === 'QUEUE.UNAVAILABLE') return 503;
  }
  return 500;
}
