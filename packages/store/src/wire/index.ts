/**
 * `@ltlab/store/wire`: the store's records, the runs table's column grammar, filter model and
 * query shapes, and `Wire<T>` (a value as JSON carries it). No Prisma, no zod, no Node API: the
 * dashboard UI imports these as types, so its bundle and its typecheck load nothing of the store.
 * wire-imports.spec.ts keeps it so.
 */
export type { ColumnFilter, FilterScalar } from './column-filter.js';
export {
  COLUMN_GRAMMAR,
  type ColumnRef,
  EVALUATION_FIELDS,
  type EvaluationAccuracy,
  type EvaluationField,
  isEvaluationField,
  isNumericRunField,
  isRunField,
  NUMERIC_RUN_FIELDS,
  type NumericRunField,
  type ParsedColumn,
  RUN_FIELDS,
  type RunField,
  readColumn,
} from './column-grammar.js';
export * from './records.js';
export type {
  CellValue,
  ColumnStats,
  RunGroup,
  RunGroupQuery,
  RunTablePage,
  RunTableQuery,
  RunTableScope,
  TableColumns,
} from './run-table.js';
export type { Wire } from './wire-form.js';
