import { writeFileSync } from 'node:fs';
import { LtlabError } from '@ltlab/core';
import {
  checkpointsOnDisk,
  epochAxis,
  type HyperparameterFilter,
  RUN_STATUSES,
  type RunDetail,
  type RunStatus,
  runsCsv,
} from '@ltlab/store';
import { z } from 'zod';
import { parseCommand } from '../args.js';
import { withStore } from '../context.js';
import { EXIT, usageExit } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { percentRows, type RunSummary, summarizeRuns } from './run-summary.js';

const USAGE = `ltlab runs list [--sweep ID] [--status S[,S]] [--where KEY=VALUE|KEY>=N|KEY<=N]... [--limit N] [--json]
       ltlab runs show <run-id> [--json]
       ltlab runs compare <run-id> <run-id>... [--json]
       ltlab runs export [--sweep ID] [--where ...] [--format csv|json] [--output FILE]`;

const flags = {
  sweep: { type: 'string' },
  status: { type: 'string' },
  where: { type: 'string', multiple: true },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string' },
} as const;

const flagSchema = z.object({
  sweep: z.string().optional(),
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(RUN_STATUSES)))
    .optional(),
  where: z.array(z.string()).default([]),
  limit: z.coerce.number().int().positive().optional(),
  json: z.boolean().default(false),
  format: z.enum(['csv', 'json']).default('csv'),
  output: z.string().optional(),
});

export async function runsCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseCommand(rest, flags, flagSchema, USAGE);
  const out = createOutput(values.json);
  return withStore(async (store) => {
    const query = {
      ...(values.sweep === undefined ? {} : { sweepId: values.sweep }),
      ...(values.status === undefined ? {} : { status: values.status as RunStatus[] }),
      hyperparameters: values.where.map(parseWhere),
      ...(values.limit === undefined ? {} : { limit: values.limit }),
    };
    switch (sub) {
      case 'list': {
        const { runs, total } = await store.listRuns(query);
        const rows = await summarizeRuns(store, runs);
        if (out.json) out.data({ total, runs: rows });
        else {
          out.table(percentRows(rows));
          out.print(`${rows.length} of ${total} run(s)`);
        }
        return EXIT.ok;
      }
      case 'show': {
        const id = positionals[0];
        if (id === undefined) return usageExit(USAGE);
        const detail = await store.getRunDetail(id);
        if (detail === null)
          throw new LtlabError('RUN.NOT_FOUND', `No run '${id}'.`, { fix: 'List runs with: ltlab runs list' });
        const shown = showRun(detail);
        if (out.json) out.data(shown);
        else {
          const { run } = detail;
          out.print(
            `${run.id}  ${run.label}\nstatus ${run.status} (attempt ${run.attempt}) on ${run.node ?? '-'}/${run.slot ?? '-'} ${run.backend ?? ''}`,
          );
          out.print(`epoch ${run.lastEpoch ?? '-'} of ${shown.epochs.max}`);
          if (run.errorCode !== null) out.print(`error ${run.errorCode}: ${run.errorMessage ?? ''}`);
          out.print('\nhyperparameters:');
          out.table(detail.hyperparameters.map((h) => ({ key: h.key, value: h.value, swept: h.swept ? 'yes' : '' })));
          out.print('\nevaluations:');
          out.table(detail.evaluations.map(({ perClass: _p, confusion: _c, runId: _r, ...e }) => e));
          out.print('\ncheckpoints on disk:');
          out.table(
            shown.checkpoints.files.map((f) => ({
              epoch: f.epoch,
              file: f.file === 'best' ? 'best' : 'epoch',
              path: f.path,
              MB: f.sizeBytes === null ? null : (f.sizeBytes / 1e6).toFixed(1),
            })),
          );
          const best = shown.checkpoints.best;
          if (best !== null) {
            const value = best.selection?.value;
            out.print(
              `best: epoch ${best.epoch ?? '-'}, ${best.basis}${value === undefined || value === null ? '' : ` (${value.toFixed(4)})`}`,
            );
          }
        }
        return EXIT.ok;
      }
      case 'compare': {
        if (positionals.length < 2) return usageExit(USAGE);
        const runs = [];
        for (const id of positionals) {
          const run = await store.getRun(id);
          if (run === null) throw new LtlabError('RUN.NOT_FOUND', `No run '${id}'.`);
          runs.push(run);
        }
        const rows = await summarizeRuns(store, runs);
        if (out.json) out.data(rows);
        else out.table(percentRows(rows));
        return EXIT.ok;
      }
      case 'export': {
        const { runs } = await store.listRuns(query);
        const rows = await summarizeRuns(store, runs);
        const withParams = [];
        for (const row of rows) {
          const detail = await store.getRunDetail(row.id);
          withParams.push({
            ...row,
            ...Object.fromEntries((detail?.hyperparameters ?? []).map((h) => [h.key, h.value])),
          });
        }
        const text = values.format === 'json' ? `${JSON.stringify(withParams, null, 2)}\n` : runsCsv(withParams);
        if (values.output === undefined) process.stdout.write(text);
        else writeFileSync(values.output, text);
        return EXIT.ok;
      }
      default:
        return usageExit(USAGE);
    }
  });
}

/**
 * What `runs show` reports: the stored detail, the epochs its curves span (1..planned), and the
 * checkpoints on disk (files keepLast deleted left out) with best.ckpt and what chose it.
 */
export function showRun(detail: RunDetail) {
  return { ...detail, epochs: epochAxis(detail), checkpoints: checkpointsOnDisk(detail.artifacts) };
}

/** `method.loss=paco`, `optimizer.lr>=0.05`, `optimizer.lr<=0.1`. */
export function parseWhere(text: string): HyperparameterFilter {
  const match = /^([\w.-]+)\s*(>=|<=|=)\s*(.+)$/.exec(text);
  if (match === null) {
    throw new LtlabError('CONFIG.INVALID', `--where '${text}' is not KEY=VALUE, KEY>=N or KEY<=N.`, {
      fix: 'Example: --where method.loss=paco --where optimizer.lr>=0.05',
    });
  }
  const [, key, op, raw] = match as unknown as [string, string, string, string];
  const number = Number(raw);
  if (op === '=')
    return { key, equals: raw === 'true' || raw === 'false' ? raw === 'true' : Number.isFinite(number) ? number : raw };
  if (!Number.isFinite(number)) throw new LtlabError('CONFIG.INVALID', `--where '${text}': ${op} needs a number.`);
  return op === '>=' ? { key, min: number } : { key, max: number };
}

export type { RunSummary };
