/** The one URL redaction of ltlab lives in @ltlab/core; re-exported for callers of the store. */
export { redactUrl } from '@ltlab/core';
export { type CheckpointFile, type CheckpointView, checkpointsOnDisk, describeSelection } from './checkpoint-view.js';
export { columnFilterSchema, columnRefSchema, parseColumn } from './column-input.js';
export { type ConfigDifference, configDiff } from './config-diff.js';
export {
  type DatabaseProvider,
  type DatabaseTarget,
  defaultDataDir,
  describeDatabaseSetting,
  parseDatabaseUrl,
  type ResolveDatabaseOptions,
  resolveDatabase,
} from './database-url.js';
export { type EpochAxis, epochAxis, plannedEpochs } from './epoch-axis.js';
export { type FlatParameter, flattenConfig } from './flatten-config.js';
export { applyMigrations, type MigrationStatus, migrationStatus } from './migrations.js';
export { type OpenStoreOptions, openRunStore, PrismaRunStore } from './prisma-run-store.js';
export { sampleStd } from './run-statistics.js';
export * from './run-store.js';
export type { RunExplorer } from './run-table.js';
export type {
  AshaRung,
  EarlyStoppingRule,
  MedianEpoch,
  ObjectivePoint,
  RungTable,
  StopRecord,
} from './rung-table.js';
export { replayStops, rungTable } from './rung-table-replay.js';
export {
  csvField,
  csvLine,
  RUN_EXPORT_EVALUATION_FIELDS,
  RUN_EXPORT_FIELDS,
  type RunExportEvaluation,
  RunsCsvColumns,
  runExportRow,
  runsCsv,
} from './runs-csv.js';
export { earlyStoppingOf, sweepRungTable } from './sweep-rung-table.js';
export type { ColumnFilter, FilterScalar } from './wire/column-filter.js';
export {
  type ColumnRef,
  EVALUATION_FIELDS,
  type EvaluationField,
  type ParsedColumn,
  RUN_FIELDS,
  type RunField,
} from './wire/column-grammar.js';
/** The form a store value has on the dashboard's HTTP API; the rest of the wire contract is `@ltlab/store/wire`. */
export type { Wire } from './wire/index.js';
export type * from './wire/run-table.js';
