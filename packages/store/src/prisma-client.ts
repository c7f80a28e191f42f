import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { DatabaseTarget } from './database-url.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.js';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';

/**
 * Both clients are generated from the same models (prisma/models.prisma), so they expose the
 * same API; the SQLite client's type stands for both.
 */
export type StoreClient = InstanceType<typeof SqliteClient>;

export async function createPrismaClient(target: DatabaseTarget): Promise<StoreClient> {
  if (target.provider === 'postgresql') {
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    return client as unknown as StoreClient;
  }
  const client = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.url, timeout: 15_000 }) });
  // WAL lets the dashboard read while the recorder writes.
  await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  return client;
}
