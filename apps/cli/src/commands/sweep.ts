import { LtlabError, parseOrThrow } from '@ltlab/core';
import { cancelRuns, expandSweep, loadSweepFile, submitSweep, sweepSpecSchema } from '@ltlab/orchestrator';
import type { RunStore } from '@ltlab/store';
import { z } from 'zod';
import { parseCommand } from '../args.js';
import { withProducer, withStore } from '../context.js';
import { EXIT, usageExit } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { percentRows, summarizeRuns } from './run-summary.js';

const USAGE = `ltlab sweep submit <sweep.yaml> [--json]
       ltlab sweep status <sweep-id> [--wait] [--json]
       ltlab sweep list [--json]
       ltlab sweep cancel <sweep-id> [--json]
       ltlab sweep resume <sweep-id> [--retry-failed] [--json]`;

const flags = { json: { type: 'boolean' }, wait: { type: 'boolean' }, 'retry-failed': { type: 'boolean' } } as const;
const flagSchema = z.object({
  json: z.boolean().default(false),
  wait: z.boolean().default(false),
  'retry-failed': z.boolean().default(false),
});

export async function sweepCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseCommand(rest, flags, flagSchema, USAGE);
  const out = createOutput(values.json);
  const target = positionals[0];
  switch (sub) {
    case 'submit': {
      if (target === undefined) return usageExit(USAGE);
      // Everything is validated before anything reaches Redis or the store.
      const loaded = await loadSweepFile(target);
      const result = await withProducer((ctx) => submitSweep(ctx, loaded));
      if (out.json) out.data(result);
      else {
        out.print(
          `Sweep ${result.sweepId}: ${result.runs} runs (${result.created} new), ${result.queued} queued, ${result.alreadySucceeded} already done.`,
        );
        out.print(`Follow it with: ltlab sweep status ${result.sweepId} --wait   (workers: ltlab worker --slots all)`);
      }
      return EXIT.ok;
    }
    case 'status': {
      if (target === undefined) return usageExit(USAGE);
      return withStore(async (store) => {
        const sweep = await store.getSweep(target);
        if (sweep === null) throw notFound(target);
        if (values.wait) await waitForSweep(store, target, (line) => out.print(line));
        const counts = await store.countRunsByStatus(target);
        const { runs } = await store.listRuns({ sweepId: target });
        const rows = await summarizeRuns(store, runs);
        const best = bestRun(rows, sweep.objectiveMode);
        if (out.json) out.data({ sweep, counts, best, runs: rows });
        else {
          out.print(
            `${sweep.name} (${sweep.id}): ${formatCounts(counts)}; objective ${sweep.objectiveMetric} (${sweep.objectiveMode})`,
          );
          out.table(percentRows(rows));
          if (best !== null)
            out.print(`best: ${best.label || best.id} (${sweep.objectiveMetric} ${best.objective?.toFixed(4)})`);
        }
        return counts.failed > 0 ? EXIT.failed : EXIT.ok;
      });
    }
    case 'list':
      return withStore(async (store) => {
        const sweeps = await store.listSweeps();
        const rows = [];
        for (const sweep of sweeps)
          rows.push({
            id: sweep.id,
            name: sweep.name,
            created: sweep.createdAt,
            runs: formatCounts(await store.countRunsByStatus(sweep.id)),
          });
        out.table(rows);
        return EXIT.ok;
      });
    case 'cancel': {
      if (target === undefined) return usageExit(USAGE);
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
    case 'resume': {
      if (target === undefined) return usageExit(USAGE);
      const result = await withProducer(async (ctx) => {
        const sweep = await ctx.store.getSweep(target);
        if (sweep === null) throw notFound(target);
        const spec = parseOrThrow(sweepSpecSchema, sweep.spec, `stored spec of sweep ${target}`);
        const base = spec.base as Record<string, unknown>;
        await ctx.store.setSweepStatus(target, 'active');
        return submitSweep(
          ctx,
          { spec, base, expanded: expandSweep(spec, base) },
          { retryFailed: values['retry-failed'] },
        );
      });
      if (out.json) out.data(result);
      else
        out.print(
          `Sweep ${result.sweepId}: ${result.queued} run(s) queued again, ${result.alreadySucceeded} already done, ${result.skippedFailed} failed left alone${result.skippedFailed > 0 ? ' (use --retry-failed)' : ''}.`,
        );
      return EXIT.ok;
    }
    default:
      return usageExit(USAGE);
  }
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

async function waitForSweep(store: RunStore, sweepId: string, log: (line: string) => void): Promise<void> {
  let last = '';
  for (;;) {
    const counts = await store.countRunsByStatus(sweepId);
    const line = formatCounts(counts);
    if (line !== last) log(`${new Date().toISOString().slice(11, 19)}  ${line}`);
    last = line;
    if (counts.queued === 0 && counts.running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
