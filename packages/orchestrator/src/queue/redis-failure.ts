import { LtlabError } from '@ltlab/core';
import type { RedisTarget } from './redis-url.js';

const PASSWORD_FIX =
  "Put the server's password (its requirepass) in REDIS_URL: redis://:<password>@host:6379, " +
  'with / ? # @ % in it percent-encoded (%2F %3F %23 %40 %25).';

/** The cause of a failure in a few words (`nothing listens there (connect ECONNREFUSED ...)`). */
export function shortReason(failure: LtlabError): string {
  const reason = failure.details?.reason;
  return typeof reason === 'string' ? reason : failure.message;
}

/**
 * Turns an error of ioredis (or of a command during connection setup) into a coded
 * QUEUE.UNAVAILABLE that names REDIS_URL and says what to do. The server refusing the setup
 * (a database it does not have, a wrong or missing password, a TLS handshake that fails) is not
 * retryable: waiting does not fix it. An unreachable server is. The URL appears only redacted.
 */
export function describeRedisFailure(error: unknown, target: RedisTarget, databases?: number | null): LtlabError {
  if (error instanceof LtlabError) return error;
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  const code = (error as { code?: unknown } | null)?.code;
  const at = `Redis at ${target.display}`;
  const refused = (message: string, fix: string) =>
    new LtlabError('QUEUE.UNAVAILABLE', message, {
      fix,
      retryable: false,
      cause: error,
      details: { field: 'REDIS_URL' },
    });

  if (/DB index is out of range|invalid DB index/i.test(reason)) {
    const has = databases == null ? '' : `: it has ${databases} (0-${databases - 1})`;
    return refused(
      `${at} refused database ${target.db} of REDIS_URL (${reason})${has}.`,
      `Set REDIS_URL to a database the server has, e.g. redis://${target.host}:${target.port}/0, or raise \`databases\` in its redis.conf.`,
    );
  }
  if (/WRONGPASS|invalid password|invalid username-password/i.test(reason)) {
    return refused(`${at} refused the password of REDIS_URL (${reason}).`, PASSWORD_FIX);
  }
  if (/NOAUTH|Authentication required/i.test(reason)) {
    return refused(`${at} requires a password and REDIS_URL has none (${reason}).`, PASSWORD_FIX);
  }
  if (/NOPERM/i.test(reason)) {
    return refused(
      `${at} refused a command to the user of REDIS_URL (${reason}).`,
      'Give that ACL user the commands and keys BullMQ needs (+@all ~* &* is simplest), or use another user.',
    );
  }
  if ((typeof code === 'string' && code.startsWith('ERR_SSL')) || /\bSSL\b|\bTLS\b|EPROTO|certificate/i.test(reason)) {
    return refused(
      `${at} could not open a TLS connection (${reason}).`,
      'Use rediss:// only for a TLS port (redis-server --tls-port) and redis:// for a plain one; check the server certificate.',
    );
  }
  const why =
    code === 'ECONNREFUSED'
      ? 'nothing listens there'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'its host name does not resolve'
        : code === 'ETIMEDOUT' || /ETIMEDOUT/.test(reason)
          ? target.tls
            ? 'the connection timed out (a rediss:// URL to a plain Redis port waits like this)'
            : 'the connection timed out'
          : 'the connection failed';
  return new LtlabError('QUEUE.UNAVAILABLE', `Cannot reach ${at} (REDIS_URL): ${why} (${reason}).`, {
    fix: 'Start Redis (redis-server --daemonize yes --appendonly yes --maxmemory-policy noeviction) or point REDIS_URL at it.',
    retryable: true,
    cause: error,
    // The short form, for status lines that already name the server.
    details: { field: 'REDIS_URL', reason: `${why} (${reason})` },
  });
}
