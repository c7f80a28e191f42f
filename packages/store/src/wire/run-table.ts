import type { ColumnFilter } from './column-filter.js';
import type { ColumnRef } from './column-grammar.js';
import type { RunRecord, RunStatus } from './records.js';

/** The runs a table view covers; every part given must hold. */
export interface RunTableScope {
  sweepId?: string;
  status?: readonly RunStatus[];
  /** Restricts to these runs (the compare selection). */
  ids?: readonly string[];
  filters?: readonly ColumnFilter[];
}

export interface RunTableQuery extends RunTableScope {
  sort?: { column: ColumnRef; direction: 'asc' | 'desc' };
  /** Columns whose values come back with each row. */
  columns?: readonly ColumnRef[];
  limit: number;
  offset?: number;
}

export type CellValue = string | number | boolean | null;

export interface RunTablePage {
  total: number;
  rows: Array<{ run: RunRecord; values: Record<ColumnRef, CellValue> }>;
}

export interface RunGroupQuery extends RunTableScope {
  /** Hyperparameter keys (without the `hp:` prefix) whose values form a group. */
  groupBy: readonly string[];
  /** Numeric columns summarised per group. */
  metrics: readonly ColumnRef[];
}

export interface ColumnStats {
  mean: number | null;
  std: number | null;
  /** Runs in the group with a value for this column. */
  n: number;
}

export interface RunGroup {
  key: Record<string, CellValue>;
  /** Runs in the group. */
  n: number;
  stats: Record<ColumnRef, ColumnStats>;
}

export interface TableColumns {
  hyperparameters: Array<{ key: string; swept: boolean; numeric: boolean }>;
  metrics: Array<{ split: string; name: string }>;
  evaluationSplits: string[];
}
