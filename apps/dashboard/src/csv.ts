import { csvLine, RUN_EXPORT_EVALUATION_FIELDS, RunsCsvColumns, runExportRow } from '@ltlab/store';
import type { DashboardStore } from './api.js';
import { type WideScope, widePages } from './wide-pages.js';

const EVAL_COLUMNS = RUN_EXPORT_EVALUATION_FIELDS.map((field) => `eval:test:${field}`);

/**
 * The runs CSV of `ltlab runs export` (the shared builder in @ltlab/store) for the runs of a
 * table view, in the view's order. Two passes over pages of 1,000 runs: the first fixes the
 * header (keys in order of first appearance), the second writes the rows, so 10,000 runs never
 * sit in memory at once. A hyperparameter stored as null counts as absent (run configs have none).
 */
export async function* runsExportCsv(store: DashboardStore, scope: WideScope): AsyncGenerator<string> {
  // The store lists keys sorted as getRunDetail orders a run's own (same database collation).
  const keys = (await store.listColumns(scope.sweepId)).hyperparameters.map((param) => param.key);
  const columns = new RunsCsvColumns();
  for await (const rows of exportRows(store, scope, keys)) for (const row of rows) columns.add(row);
  yield csvLine(columns.keys);
  for await (const rows of exportRows(store, scope, keys)) {
    yield rows.map((row) => csvLine(columns.keys.map((key) => row[key]))).join('');
  }
}

async function* exportRows(store: DashboardStore, scope: WideScope, keys: readonly string[]) {
  for await (const page of widePages(store, scope, keys, EVAL_COLUMNS)) {
    yield page.map(({ run, values }) => {
      const lastTest = Object.fromEntries(
        RUN_EXPORT_EVALUATION_FIELDS.map((field) => [field, values[`eval:test:${field}`] as number | null]),
      );
      const present = keys.flatMap((key) => {
        const value = values[`hp:${key}`];
        return value === null || value === undefined ? [] : [[key, value] as const];
      });
      return runExportRow(run, lastTest, present);
    });
  }
}
