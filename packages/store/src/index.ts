export {
  type DatabaseProvider,
  type DatabaseTarget,
  defaultDataDir,
  parseDatabaseUrl,
  type ResolveDatabaseOptions,
  redactUrl,
  resolveDatabase,
} from './database-url.js';
export { type FlatParameter, flattenConfig } from './flatten-config.js';
export { applyMigrations, type MigrationStatus, migrationStatus } from './migrations.js';
export { type OpenStoreOptions, openRunStore, PrismaRunStore } from './prisma-run-store.js';
export * from './run-store.js';
