import { LtlabError, parseOrThrow } from '@ltlab/core';
import {
  cancelRuns,
  expandSweep,
  loadSweepFile,
  submitOrExtendSweep,
  submitSweep,
  sweepSpecSchema,
} from '@ltlab/orchestrator';
import { type RunStatus, type RunStore, type SweepRecord, sweepRungTable } from '@ltlab/store';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { withProducer, withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { LiveLines } from '../live-lines.js';
import { createOutput } from '../output.js';
import { percentRows, summarizeRuns } from './run-summary.js';
import { rungTableHeading, rungTableRows } from './rung-table-text.js';
import { dryRun, dryRunRows } from './sweep-dry-run.js';
import { watchLine } from './sweep-watch.js';

const json = z.boolean().default(false);

/** At most this many live lines in `status --wait`; the rest are counted. */
const MAX_LIVE_RUNS = 20;

/**
 * `sweep submit`: everything is validated, and the size of the sweep bounded, before anything
 * reaches Redis or the store.
 */
export async function sweepSubmit(input: CommandInput): Promise<number> {
  const values = validateFlags(
    z.object({
      'dry-run': z.boolean().default(false),
      'max-runs': z.coerce.number().int().positive().optional(),
      json,
    }),
    input,
  );
  const out = createOutput(values.json);
  const maxRuns = values['max-runs'];
  const loaded = await loadSweepFile(input.args[0] as string, maxRuns === undefined ? {} : { maxRuns });
  if (values['dry-run']) {
    const report = dryRun(loaded.spec.name, loaded.expanded);
    if (out.json) out.data(report);
    else {
      out.print(`Sweep ${report.sweepId}: ${report.runs} run(s); dry run, nothing stored or queued.`);
      out.print(
        report.sweptKeys.length === 0
          ? 'No value differs between runs.'
          : `They differ in ${report.sweptKeys.join(', ')}:`,
      );
      out.table(dryRunRows(report));
      if (loaded.expanded.search !== undefined)
        out.print(
          `TPE: these are the first ${report.runs} of ${loaded.expanded.search.count} suggestions (start-up draws); the rest are suggested as results come in.`,
        );
    }
    return EXIT.ok;
  }
  const result = await withProducer((ctx) => submitOrExtendSweep(ctx, loaded));
  if (out.json) out.data(result);
  else {
    if (result.extended !== null) {
      const reusedDone = result.reused.filter((run) => run.status === 'succeeded').length;
      out.print(
        `Extending sweep ${result.extended} (same name): ${result.added.length} run(s) added, ${result.reused.length} reused (${reusedDone} already done, not trained again), ${result.left.length} left as they were.`,
      );
      for (const run of result.left) out.print(`  left: ${run.id} ${run.label} (${run.status})`);
    }
    out.print(
      `Sweep ${result.sweepId}: ${result.runs} runs (${result.created} new), ${result.queued} queued, ${result.alreadySucceeded} already done.`,
    );
    if (result.reprioritized > 0)
      out.print(`${result.reprioritized} waiting run(s) moved to priority ${loaded.spec.priority}.`);
    if (loaded.expanded.search !== undefined)
      out.print('TPE: the recorder (ltlab serve or up) suggests the next run each time one ends.');
    out.print(`Follow it with: ltlab sweep status ${result.sweepId} --wait   (workers: ltlab worker --slots all)`);
  }
  return EXIT.ok;
}

export async function sweepStatus(input: CommandInput): Promise<number> {
  const values = validateFlags(z.object({ wait: z.boolean().default(false), json }), input);
  const out = createOutput(values.json);
  const target = input.args[0] as string;
  return withStore(async (store) => {
    const sweep = await store.getSweep(target);
    if (sweep === null) throw notFound(target);
    const planned = tpeCount(sweep);
    if (values.wait) await waitForSweep(store, target, values.json, planned);
    const counts = await store.countRunsByStatus(target);
    const { runs } = await store.listRuns({ sweepId: target });
    const rows = await summarizeRuns(store, runs);
    const best = bestRun(rows, sweep.objectiveMode);
    const search = planned === null ? null : { algorithm: 'tpe', suggested: runs.length, count: planned };
    const earlyStopping = await sweepRungTable(store, sweep);
    if (out.json)
      out.data({
        sweep,
        counts,
        best,
        runs: rows,
        ...(search === null ? {} : { search }),
        ...(earlyStopping === null ? {} : { earlyStopping }),
      });
    else {
      out.print(
        `${sweep.name} (${sweep.id}): ${formatCounts(counts)}; objective ${sweep.objectiveMetric} (${sweep.objectiveMode})`,
      );
      if (search !== null) out.print(`tpe: ${search.suggested} of ${search.count} runs suggested`);
      out.table(percentRows(rows));
      if (best !== null)
        out.print(`best: ${best.label || best.id} (${sweep.objectiveMetric} ${best.objective?.toFixed(4)})`);
      if (earlyStopping !== null) {
        out.print(rungTableHeading(earlyStopping));
        out.table(rungTableRows(earlyStopping));
      }
    }
    return counts.failed > 0 ? EXIT.failed : EXIT.ok;
  });
}

/** `sweep list`: the JSON gives each sweep's counts by status as numbers and its dates as ISO strings. */
export async function sweepList(input: CommandInput): Promise<number> {
  const values = validateFlags(z.object({ json }), input);
  const out = createOutput(values.json);
  return withStore(async (store) => {
    const sweeps = [];
    for (const sweep of await store.listSweeps()) {
      const counts = await store.countRunsByStatus(sweep.id);
      const runs = Object.values(counts).reduce((sum, n) => sum + n, 0);
      sweeps.push({ id: sweep.id, name: sweep.name, status: sweep.status, createdAt: sweep.createdAt, runs, counts });
    }
    if (out.json) out.data(sweeps);
    else out.table(sweeps.map((s) => ({ id: s.id, name: s.name, created: s.createdAt, runs: formatCounts(s.counts) })));
    return EXIT.ok;
  });
}

export async function sweepCancel(input: CommandInput): Promise<number> {
  const values = validateFlags(z.object({ json }), input);
  const out = createOutput(values.json);
  const target = input.args[0] as string;
  const cancelled = await withProducer(async (ctx) => {
    const { runs } = await ctx.store.listRuns({ sweepId: target, status: ['queued', 'running'] });
    if ((await ctx.store.getSweep(target)) === null) throw notFound(target);
    await ctx.store.setSweepStatus(target, 'cancelled');
    return cancelRuns(
      ctx,
      runs.map((run) => run.id),
    );
  });
  if (out.json) out.data({ sweepId: target, cancelled });
  else out.print(`Cancelled ${cancelled} run(s) of ${target}.`);
  return EXIT.ok;
}

export async function sweepResume(input: CommandInput): Promise<number> {
  const values = validateFlags(z.object({ 'retry-failed': z.boolean().default(false), json }), input);
  const out = createOutput(values.json);
  const target = input.args[0] as string;
  const result = await withProducer(async (ctx) => {
    const sweep = await ctx.store.getSweep(target);
    if (sweep === null) throw notFound(target);
    const spec = parseOrThrow(sweepSpecSchema, sweep.spec, `stored spec of sweep ${target}`);
    const base = spec.base as Record<string, unknown>;
    await ctx.store.setSweepStatus(target, 'active');
    // Its size was accepted when it was submitted (perhaps with --max-runs): no limit again here.
    // Its runs keep their stored ids, whatever spec hash made them (sweep-identity.ts).
    const expanded = expandSweep(spec, base, { maxRuns: Number.POSITIVE_INFINITY, sweepId: target });
    return submitSweep(ctx, { spec, base, expanded }, { retryFailed: values['retry-failed'] });
  });
  if (out.json) out.data(result);
  else
    out.print(
      `Sweep ${result.sweepId}: ${result.queued} run(s) queued again, ${result.alreadySucceeded} already done, ${result.alreadyStopped} stopped early left alone, ${result.skippedFailed} failed left alone${result.skippedFailed > 0 ? ' (use --retry-failed)' : ''}.`,
    );
  return EXIT.ok;
}

function notFound(id: string): LtlabError {
  return new LtlabError('RUN.NOT_FOUND', `No sweep '${id}'.`, { fix: 'List sweeps with: ltlab sweep list' });
}

function formatCounts(counts: Record<string, number>): string {
  return (
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ') || 'no runs'
  );
}

function bestRun<T extends { objective: number | null }>(rows: readonly T[], mode: 'max' | 'min'): T | null {
  let best: T | null = null;
  for (const row of rows) {
    if (row.objective === null) continue;
    if (
      best === null ||
      (mode === 'max' ? row.objective > (best.objective as number) : row.objective < (best.objective as number))
    )
      best = row;
  }
  return best;
}

/** The runs a TPE sweep will have in all; null for other sweeps (all their runs exist from submit). */
function tpeCount(sweep: SweepRecord): number | null {
  const parsed = sweepSpecSchema.safeParse(sweep.spec);
  return parsed.success && parsed.data.tpe !== undefined ? parsed.data.tpe.count : null;
}

/**
 * Polls until nothing is queued or running: a line whenever the counts change and, on a
 * terminal, a live line per running run. With --json it waits silently. A TPE sweep
 * (`planned` runs) is done once all are suggested, or when it stays idle with fewer for two
 * polls (cancelled, or its in-flight runs were cancelled: `sweep resume` continues it).
 */
async function waitForSweep(store: RunStore, sweepId: string, json: boolean, planned: number | null): Promise<void> {
  const lines = new LiveLines(process.stdout, { live: !json && process.stdout.isTTY === true });
  let last = '';
  let shown = new Set<string>();
  let idle = 0;
  try {
    for (;;) {
      const counts = await store.countRunsByStatus(sweepId);
      const line = formatCounts(counts);
      if (line !== last && !json) lines.log(`${new Date().toISOString().slice(11, 19)}  ${line}`);
      last = line;
      if (lines.live) shown = await showRunning(store, sweepId, lines, shown, counts.running);
      const suggested = Object.values(counts).reduce((sum, n) => sum + n, 0);
      idle = counts.queued === 0 && counts.running === 0 ? idle + 1 : 0;
      // Between a run's end and its successor's suggestion a TPE sweep is idle for a moment.
      if (idle > 0 && (planned === null || suggested >= planned || idle > 1)) return;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  } finally {
    lines.close();
  }
}

/** Updates the live lines to the running runs; returns the keys now shown. */
async function showRunning(
  store: RunStore,
  sweepId: string,
  lines: LiveLines,
  shown: ReadonlySet<string>,
  running: number,
): Promise<Set<string>> {
  const status: RunStatus[] = ['running'];
  const { runs } = await store.listRuns({ sweepId, status, limit: MAX_LIVE_RUNS });
  const now = Date.now();
  const live = runs.map((run) => ({ id: run.id, line: watchLine(run, now) }));
  const width = Math.max(0, ...live.map(({ line }) => line.label.length));
  const next = new Set<string>();
  for (const { id, line } of live) {
    lines.set(id, { ...line, label: line.label.padEnd(width) });
    next.add(id);
  }
  const more = running - live.length;
  if (more > 0) {
    lines.set('more', { label: `+${more} more running`, fraction: 0, suffix: '' });
    next.add('more');
  }
  for (const key of shown) if (!next.has(key)) lines.drop(key);
  return next;
}
