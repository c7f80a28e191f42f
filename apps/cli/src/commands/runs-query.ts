import {
  RUN_EXPORT_EVALUATION_FIELDS,
  type RunExplorer,
  type RunExportEvaluation,
  type RunTableScope,
  runExportRow,
} from '@ltlab/store';
import type { RunSummary } from './run-summary.js';

/** The latest test evaluation's accuracies, as columns of the runs table (the dashboard's CSV reads the same). */
const SUMMARY_COLUMNS = RUN_EXPORT_EVALUATION_FIELDS.map((field) => `eval:test:${field}` as const);

/** Nothing caps a list without --limit; the runs table needs a number. */
const NO_LIMIT = 2_147_483_647;

/**
 * `ltlab runs list|export`'s one way to find runs: the dashboard's query (`queryRunTable`) with
 * the dashboard's filter model (`--where` terms become its filters, where-filter.ts). One SQL
 * statement filters hyperparameters and the latest evaluation's metrics, sorts in sweep order,
 * and brings each run's test accuracies with it, so a run's summary needs no further read.
 */
export async function queryRunSummaries(
  store: Pick<RunExplorer, 'queryRunTable'>,
  scope: RunTableScope,
  limit: number | undefined,
): Promise<{ summaries: RunSummary[]; total: number }> {
  const { rows, total } = await store.queryRunTable({ ...scope, columns: SUMMARY_COLUMNS, limit: limit ?? NO_LIMIT });
  const summaries = rows.map(({ run, values }) => {
    const lastTest: RunExportEvaluation = {};
    for (const field of RUN_EXPORT_EVALUATION_FIELDS) {
      const value = values[`eval:test:${field}`];
      lastTest[field] = typeof value === 'number' ? value : null;
    }
    // The export row without hyperparameters has exactly a summary's fields (RUN_EXPORT_FIELDS).
    return runExportRow(run, lastTest, []) as unknown as RunSummary;
  });
  return { summaries, total };
}
