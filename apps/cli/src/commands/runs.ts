import { LtlabError } from '@ltlab/core';
import {
  checkpointsOnDisk,
  epochAxis,
  RUN_STATUSES,
  type RunDetail,
  type RunRecord,
  type RunStatus,
  type RunTableScope,
  runsCsv,
} from '@ltlab/store';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { checkOutputFile, writeOutputFile } from '../output-paths.js';
import { diffRows, runsConfigDiff } from './compare-runs.js';
import { resolveRun } from './run-ref.js';
import {
  evaluationRows,
  percentRows,
  provenanceLines,
  type RunSummary,
  resumeLines,
  summarizeRuns,
} from './run-summary.js';
import { queryRunSummaries } from './runs-query.js';
import { parseWhere } from './where-filter.js';

const flagSchema = z.object({
  sweep: z.string().optional(),
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(RUN_STATUSES)))
    .optional(),
  // Each term becomes a runs-table filter; a bad one throws naming itself and the fix.
  where: z
    .array(z.string())
    .default([])
    .transform((terms) => terms.map(parseWhere)),
  limit: z.coerce.number().int().positive().optional(),
  json: z.boolean().default(false),
  format: z.enum(['csv', 'json']).default('csv'),
  output: z.string().optional(),
});

/** `ltlab runs <sub>` with commander's parse of its arguments and flags (apps/cli/src/tree/runs.ts). */
export async function runsCommand(sub: 'list' | 'show' | 'compare' | 'export', input: CommandInput): Promise<number> {
  const values = validateFlags(flagSchema, input);
  const positionals = input.args;
  const out = createOutput(values.json);
  // A bad --output fails before the store is opened or queried.
  const outputFile =
    sub === 'export' && values.output !== undefined ? checkOutputFile(values.output, '--output') : undefined;
  return withStore(async (store) => {
    const scope: RunTableScope = {
      ...(values.sweep === undefined ? {} : { sweepId: values.sweep }),
      ...(values.status === undefined ? {} : { status: values.status as RunStatus[] }),
      filters: values.where,
    };
    switch (sub) {
      case 'list': {
        const { summaries: rows, total } = await queryRunSummaries(store, scope, values.limit);
        if (out.json) out.data({ total, runs: rows });
        else {
          out.table(percentRows(rows, { ids: true }));
          out.print(`${rows.length} of ${total} run(s)`);
        }
        return EXIT.ok;
      }
      case 'show': {
        const ref = positionals[0];
        if (ref === undefined) throw usageError('runs show needs a run id or label.', input);
        const { id } = await resolveRun(store, ref, values.sweep);
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
          for (const line of resumeLines(detail)) out.print(line);
          for (const line of provenanceLines(detail)) out.print(line);
          out.print('\nhyperparameters:');
          out.table(detail.hyperparameters.map((h) => ({ key: h.key, value: h.value, swept: h.swept ? 'yes' : '' })));
          out.print('\nevaluations:');
          out.table(evaluationRows(detail.evaluations));
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
        if (positionals.length < 2) throw usageError('runs compare needs two or more runs.', input);
        const runs: RunRecord[] = [];
        for (const ref of positionals) runs.push(await resolveRun(store, ref, values.sweep));
        const rows = await summarizeRuns(store, runs);
        const diff = runsConfigDiff(runs);
        // The same { runs, diff } as the dashboard's compare API.
        if (out.json) out.data({ runs: rows, diff });
        else {
          out.table(percentRows(rows, { ids: true }));
          out.print('\nconfig differences:');
          if (diff.length === 0) out.print('(none: the configs are the same)');
          else out.table(diffRows(diff, runs));
        }
        return EXIT.ok;
      }
      case 'export': {
        const { summaries: rows } = await queryRunSummaries(store, scope, values.limit);
        const withParams = [];
        for (const row of rows) {
          const detail = await store.getRunDetail(row.id);
          withParams.push({
            ...row,
            ...Object.fromEntries((detail?.hyperparameters ?? []).map((h) => [h.key, h.value])),
          });
        }
        const text = values.format === 'json' ? `${JSON.stringify(withParams, null, 2)}\n` : runsCsv(withParams);
        if (outputFile === undefined) process.stdout.write(text);
        else writeOutputFile(outputFile, text, '--output');
        return EXIT.ok;
      }
    }
  });
}

function usageError(message: string, input: CommandInput): LtlabError {
  return new LtlabError('CONFIG.INVALID', message, { fix: `Usage: ${input.usage}` });
}

/**
 * What `runs show` reports: the stored detail, the epochs its curves span (1..planned), and the
 * checkpoints on disk (files keepLast deleted left out) with best.ckpt and what chose it.
 */
export function showRun(detail: RunDetail) {
  return { ...detail, epochs: epochAxis(detail), checkpoints: checkpointsOnDisk(detail.artifacts) };
}

export type { RunSummary };
export { parseWhere };
