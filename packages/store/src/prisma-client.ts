import { LtlabError, redactUrlsIn } from '@ltlab/core';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { type DatabaseTarget, describeDatabaseSetting } from './database-url.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.js';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { postgresPoolConfig } from './postgres-connection.js';

/**
 * Both clients are generated from the same models (prisma/models.prisma), so they expose the
 * same API; the SQLite client's type stands for both.
 */
export type StoreClient = InstanceType<typeof SqliteClient>;

export async function createPrismaClient(target: DatabaseTarget): Promise<StoreClient> {
  if (target.provider === 'postgresql') {
    const client = new PostgresClient({ adapter: new PrismaPg(postgresPoolConfig(target)) });
    return client as unknown as StoreClient;
  }
  const client = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.url, timeout: 15_000 }) });
  try {
    // WAL lets the dashboard read while the recorder writes.
    await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  } catch (cause) {
    await client.$disconnect();
    // checkDatabase() catches the usual causes first; this covers a file changed in between.
    const reason = redactUrlsIn(
      (cause instanceof Error ? cause.message : String(cause)).trim().split('\n').at(-1) ?? '',
    );
    throw new LtlabError('STORE.UNAVAILABLE', `${describeDatabaseSetting(target)}: SQLite cannot open it: ${reason}`, {
      fix: `Check that the file is a writable SQLite database, or point ${target.setting ?? 'DATABASE_URL'} elsewhere.`,
      retryable: false,
      cause,
    });
  }
  return client;
}
