import type { RunGroup, RunGroupQuery, RunTablePage, RunTableQuery, TableColumns } from './wire/run-table.js';

/**
 * The runs table of the dashboard and of `ltlab runs list|export`: one query model for both.
 * Its parts, one concept per file: the column grammar and query shapes (wire/, which the UI
 * imports as types), their parsing at the edge (column-input.ts), the SQL compiler
 * (run-table-sql.ts), reading its answers (sql-cells.ts), group statistics (run-statistics.ts),
 * and running it on Prisma (run-explorer.ts).
 */
export type * from './wire/run-table.js';

/** Read queries the dashboard needs beyond `RunStore`: the runs table in SQL. */
export interface RunExplorer {
  queryRunTable(query: RunTableQuery): Promise<RunTablePage>;
  groupRuns(query: RunGroupQuery): Promise<RunGroup[]>;
  listColumns(sweepId?: string): Promise<TableColumns>;
  /** Changes whenever a run, an evaluation or a worker heartbeat is written (for live updates). */
  changeStamp(): Promise<string>;
}
