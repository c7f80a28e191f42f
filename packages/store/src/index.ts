/** The one URL redaction of ltlab lives in @ltlab/core; re-exported for callers of the store. */
export { redactUrl } from '@ltlab/core';
export { type CheckpointFile, type CheckpointView, checkpointsOnDisk, describeSelection } from './checkpoint-view.js';
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
export * from './run-store.js';
export {
  type CellValue,
  type ColumnFilter,
  type ColumnRef,
  type ColumnStats,
  columnFilterSchema,
  EVALUATION_FIELDS,
  type ParsedColumn,
  parseColumn,
  RUN_FIELDS,
  type RunExplorer,
  type RunGroup,
  type RunGroupQuery,
  type RunTablePage,
  type RunTableQuery,
  type RunTableScope,
  sampleStd,
  type TableColumns,
} from './run-table.js';
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
