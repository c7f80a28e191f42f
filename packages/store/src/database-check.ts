import type { DatabaseTarget } from './database-url.js';
import { probePostgres } from './postgres-connection.js';
import { assertUsableSqliteFile } from './sqlite-file-check.js';

/**
 * Checks a target before Prisma or the schema engine open it: a SQLite path must be a usable file
 * (or creatable), a PostgreSQL server must answer and accept the login. Failures are coded errors
 * naming the setting (DATABASE_URL, LTLAB_HOME, --database) and the fix; the engines' own errors
 * would be opaque, come late, or hang.
 */
export async function checkDatabase(target: DatabaseTarget): Promise<void> {
  if (target.provider === 'postgresql') await probePostgres(target);
  else assertUsableSqliteFile(target);
}
