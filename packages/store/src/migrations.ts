import { mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LtlabError, redactUrlsIn } from '@ltlab/core';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';
import { checkDatabase } from './database-check.js';
import { type DatabaseProvider, type DatabaseTarget, describeDatabaseSetting, sqlitePath } from './database-url.js';
import { openSchemaEngine } from './schema-engine.js';
import { findPrismaFolder } from './schema-location.js';

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/** The folder of the schema and migrations (schema-location.ts); a broken install is a coded error. */
function prismaFolder(): string {
  const folder = findPrismaFolder();
  if (folder === undefined) {
    throw new LtlabError(
      'INTERNAL',
      `@ltlab/store finds no Prisma schema: neither ${fileURLToPath(new URL('../prisma/', import.meta.url))} nor the repository's prisma/ holds models.prisma.`,
      {
        fix: 'Reinstall @ltlab/store from a tarball packed by tools/pack (it ships prisma/), or restore prisma/ at the repository root.',
      },
    );
  }
  return folder;
}

export function migrationsDirectory(provider: DatabaseProvider): string {
  return join(prismaFolder(), provider, 'migrations');
}

export function schemaPath(provider: DatabaseProvider): string {
  return join(prismaFolder(), provider, 'schema.prisma');
}

/** The committed migrations of a provider, read as the schema engine expects them. */
export async function loadMigrationList(provider: DatabaseProvider): Promise<MigrationList> {
  const baseDir = migrationsDirectory(provider);
  const entries = await readdir(baseDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  names.sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockPath = join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

export interface MigrationStatus {
  pending: string[];
  failed: string[];
  edited: string[];
}

/** Applies every committed migration not yet applied (`ltlab db migrate`); returns their names. */
export async function applyMigrations(target: DatabaseTarget): Promise<string[]> {
  await checkDatabase(target);
  if (target.provider === 'sqlite' && target.url !== 'file::memory:') {
    mkdirSync(dirname(sqlitePath(target)), { recursive: true });
  }
  return withEngine(target, async (engine, migrationsList) => {
    const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return result.appliedMigrationNames;
  });
}

/** What `prisma migrate status` reports: pending, failed and edited migrations. */
export async function migrationStatus(target: DatabaseTarget): Promise<MigrationStatus> {
  await checkDatabase(target);
  return withEngine(target, async (engine, migrationsList) => {
    const all = migrationsList.migrationDirectories.map((d) => d.path);
    let report: Awaited<ReturnType<typeof engine.diagnoseMigrationHistory>>;
    try {
      report = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: NO_FILTER,
      });
    } catch (error) {
      // P1014: no `_prisma_migrations` table yet (a new SQLite file): nothing is applied.
      if ((error as { code?: unknown }).code === 'P1014') return { pending: all, failed: [], edited: [] };
      throw error;
    }
    const history = report.history;
    let pending: string[] = [];
    if (history?.diagnostic === 'databaseIsBehind') pending = history.unappliedMigrationNames;
    else if (history?.diagnostic === 'historiesDiverge') pending = history.unappliedMigrationNames;
    else if (!report.hasMigrationsTable) pending = all;
    return { pending, failed: report.failedMigrationNames, edited: report.editedMigrationNames };
  });
}

async function withEngine<T>(
  target: DatabaseTarget,
  action: (engine: Awaited<ReturnType<typeof openSchemaEngine>>['engine'], list: MigrationList) => Promise<T>,
): Promise<T> {
  const [schema, migrationsList] = await Promise.all([
    readFile(schemaPath(target.provider), 'utf8'),
    loadMigrationList(target.provider),
  ]);
  let opened: Awaited<ReturnType<typeof openSchemaEngine>>;
  try {
    opened = await openSchemaEngine(target, schema);
  } catch (cause) {
    throw unreachable(target, cause);
  }
  try {
    return await action(opened.engine, migrationsList);
  } catch (cause) {
    if (isConnectionError(cause)) throw unreachable(target, cause);
    throw new LtlabError('STORE.CONFLICT', `Migrating ${describeDatabaseSetting(target)} failed: ${messageOf(cause)}`, {
      fix: 'Inspect the _prisma_migrations table; a failed migration must be fixed and marked rolled back.',
      cause,
    });
  } finally {
    await opened.close();
  }
}

function isConnectionError(error: unknown): boolean {
  return /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|connect|SQLITE_CANTOPEN|does not exist/i.test(messageOf(error));
}

function unreachable(target: DatabaseTarget, cause: unknown): LtlabError {
  return new LtlabError(
    'STORE.UNAVAILABLE',
    `Cannot open the database ${describeDatabaseSetting(target)}: ${messageOf(cause)}`,
    {
      fix:
        target.provider === 'postgresql'
          ? `Check that PostgreSQL is running and ${target.setting ?? 'DATABASE_URL'} is right (user, password, host, database).`
          : 'Check that the data directory is writable (LTLAB_HOME) or set DATABASE_URL.',
      cause,
    },
  );
}

/**
 * The engine's message without the Rust backtrace it appends (`   0: schema_engine_wasm::...`)
 * and with any password of a URL in it hidden.
 */
function messageOf(error: unknown): string {
  let message: string;
  if (error instanceof Error) message = error.message;
  else if (typeof error === 'object' && error !== null && 'message' in error) message = String(error.message);
  else message = String(error);
  const lines = message.split('\n');
  const backtrace = lines.findIndex((line) => /^\s*\d+: \S/.test(line));
  return redactUrlsIn((backtrace === -1 ? lines : lines.slice(0, backtrace)).join('\n').trim());
}
