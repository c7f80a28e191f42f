import { LtlabError, redactUrlsIn } from '@ltlab/core';
import { PrismaPg } from '@prisma/adapter-pg';
import { type DatabaseTarget, describeDatabaseSetting } from './database-url.js';

/** How long a connection may take before the store gives up, unless the URL's connect_timeout says. */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;

/**
 * The pg pool settings for a target. The JS driver ignores libpq's `connect_timeout` URL
 * parameter and waits forever by default (a host that drops packets, a port that never answers),
 * so the store reads it here and bounds every connection attempt.
 */
export function postgresPoolConfig(target: DatabaseTarget): {
  connectionString: string;
  connectionTimeoutMillis: number;
} {
  return { connectionString: target.url, connectionTimeoutMillis: connectTimeoutSeconds(target) * 1000 };
}

/** `connect_timeout` of the URL in seconds (0 means the default here, not "forever"). */
export function connectTimeoutSeconds(target: DatabaseTarget): number {
  let raw: string | null = null;
  try {
    raw = new URL(target.url).searchParams.get('connect_timeout');
  } catch {
    // parseDatabaseUrl already refused malformed URLs; a hand-made target keeps the default.
  }
  const seconds = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : DEFAULT_CONNECT_TIMEOUT_S;
}

/**
 * Connects once and runs `SELECT 1`, turning what the driver reports into a coded error that
 * names DATABASE_URL: CONFIG.INVALID for a database that does not exist or credentials the server
 * refuses (retrying will not help), STORE.UNAVAILABLE for a server that cannot be reached.
 */
export async function probePostgres(target: DatabaseTarget): Promise<void> {
  const adapter = await new PrismaPg(postgresPoolConfig(target)).connect();
  try {
    await adapter.executeScript('SELECT 1');
  } catch (error) {
    throw postgresConnectError(target, error);
  } finally {
    await adapter.dispose();
  }
}

/** What the pg adapter puts in a DriverAdapterError's cause. */
interface DriverCause {
  kind?: string;
  db?: string;
  user?: string;
  port?: number;
  originalMessage?: string;
  message?: string;
}

export function postgresConnectError(target: DatabaseTarget, error: unknown): LtlabError {
  const named = describeDatabaseSetting(target);
  const setting = target.setting ?? 'DATABASE_URL';
  const { host, port, database } = addressOf(target);
  const cause = driverCause(error);
  const details = { field: setting, host, port };
  switch (cause.kind) {
    case 'DatabaseDoesNotExist':
      return new LtlabError(
        'CONFIG.INVALID',
        `${named}: the database '${cause.db ?? database}' does not exist on ${host}:${port}.`,
        {
          fix: `Create it (createdb -h ${host} -p ${port} ${cause.db ?? database}) and run \`ltlab db migrate\`, or correct the database name in ${setting}.`,
          details,
          cause: error,
        },
      );
    case 'AuthenticationFailed':
    case 'DatabaseAccessDenied':
      return new LtlabError(
        'CONFIG.INVALID',
        `${named}: ${host}:${port} refused the login${cause.originalMessage === undefined ? '' : ` (${redactUrlsIn(cause.originalMessage)})`}.`,
        {
          fix: `Check the user name and password in ${setting} (percent-encode special characters of the password).`,
          details,
          cause: error,
        },
      );
    default: {
      const reason = describeUnreachable(cause, error, connectTimeoutSeconds(target));
      return new LtlabError('STORE.UNAVAILABLE', `${named}: cannot reach PostgreSQL at ${host}:${port} (${reason}).`, {
        fix: `Start PostgreSQL there, or correct the host and port in ${setting}.`,
        details,
        cause: error,
      });
    }
  }
}

function describeUnreachable(cause: DriverCause, error: unknown, timeoutSeconds: number): string {
  switch (cause.kind) {
    case 'DatabaseNotReachable':
      // The driver keeps the port of a refused connection; a name that did not resolve has none.
      return cause.port === undefined ? 'the host name does not resolve' : 'connection refused';
    case 'SocketTimeout':
      return 'the connection timed out';
    case 'ConnectionClosed':
      return 'the server closed the connection';
    case 'TlsConnectionError':
      return `TLS failed: ${redactUrlsIn(String(cause.message ?? ''))}`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      if (/timeout/i.test(message))
        return `no answer within ${timeoutSeconds} s; set connect_timeout in the URL to wait longer`;
      return redactUrlsIn(cause.originalMessage ?? message);
    }
  }
}

function driverCause(error: unknown): DriverCause {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return typeof cause === 'object' && cause !== null ? (cause as DriverCause) : {};
}

function addressOf(target: DatabaseTarget): { host: string; port: string; database: string } {
  try {
    const url = new URL(target.url);
    return {
      host: url.hostname === '' ? 'localhost' : url.hostname,
      port: url.port === '' ? '5432' : url.port,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username),
    };
  } catch {
    return { host: 'localhost', port: '5432', database: '' };
  }
}
