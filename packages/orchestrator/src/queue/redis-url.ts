import { LtlabError, redactUrl } from '@ltlab/core';

/** Where and how to connect, read from a `redis://` or `rediss://` URL. */
export interface RedisTarget {
  tls: boolean;
  host: string;
  port: number;
  /** The logical database (`/n` at the end of the URL); the server decides how many it has. */
  db: number;
  username?: string;
  password?: string;
  /** `?family=4|6`: the IP version to resolve the host to (ioredis tries both by default). */
  family?: 4 | 6;
  /** The URL with its password replaced by `***`: the only form any message may show. */
  display: string;
}

const EXAMPLE = 'redis://127.0.0.1:6379/0 (or rediss://:<password>@host:6380/0 for TLS)';
const ENCODE_FIX =
  'Percent-encode the password in the URL: / as %2F, ? as %3F, # as %23, @ as %40, : as %3A, % as %25 ' +
  "(node -p 'encodeURIComponent(process.argv[1])' '<password>' prints the encoded form).";

/**
 * Parses REDIS_URL with the WHATWG URL parser and checks every part, so a typo is a coded
 * CONFIG.INVALID naming the part and never a stack trace from ioredis. The password is never
 * part of a message: every message shows the URL through `redactUrl`.
 */
export function parseRedisUrl(raw: string, field = 'REDIS_URL'): RedisTarget {
  const display = redactUrl(raw);
  const invalid = (what: string, fix = `Set ${field}=${EXAMPLE}.`) =>
    new LtlabError('CONFIG.INVALID', `${field} '${display}' ${what}`, { fix, details: { field } });
  if (raw.trim() === '') throw invalid('is empty.', `Unset ${field} for redis://127.0.0.1:6379, or set ${EXAMPLE}.`);
  if (/^[^:/@]+:\d+$/.test(raw.trim())) {
    throw invalid(
      `is host:port, not a URL.`,
      `Set ${field}=redis://${raw.trim()} (add /<db> for a database other than 0).`,
    );
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) throw invalid('is not a URL: it has no scheme.');
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw invalid(`has the scheme '${scheme}:'; ltlab speaks redis:// (plain) and rediss:// (TLS) only.`);
  }
  if (!raw.slice(scheme.length + 1).startsWith('//'))
    throw invalid(`must start with ${scheme}:// followed by the host.`);
  const afterScheme = raw.slice(scheme.length + 3);
  const lastAt = afterScheme.lastIndexOf('@');
  const addressEnd = afterScheme.search(/[/?#]/);
  if (lastAt !== -1 && addressEnd !== -1 && lastAt > addressEnd) {
    // A '/', '?' or '#' before the last '@' ends the address early: the password holds one unencoded.
    throw invalid('has a password (or user name) holding a character a URL cannot carry unencoded.', ENCODE_FIX);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw diagnoseUnparsable(afterScheme, lastAt, addressEnd, invalid);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw invalid('has no host.');
  const port = url.port === '' ? 6379 : Number(url.port);
  if (port < 1 || port > 65535) throw invalid(`has port ${url.port}; a port is 1-65535.`);
  const path = url.pathname;
  if (path !== '' && path !== '/' && !/^\/\d+$/.test(path)) {
    throw invalid(
      `has the path '${path}': the path is the database number, an integer 0 or more.`,
      `Set ${field}=redis://host:6379/0 (or leave the path out for database 0).`,
    );
  }
  const db = path.length > 1 ? Number(path.slice(1)) : 0;
  if (!Number.isSafeInteger(db)) throw invalid(`has database ${path.slice(1)}, which is no database number.`);
  if (url.hash !== '') throw invalid('has a #fragment, which a Redis URL has no use for.', ENCODE_FIX);
  let family: 4 | 6 | undefined;
  for (const [key, value] of url.searchParams) {
    if (key !== 'family') {
      throw invalid(`has the query parameter '${key}'; the only one ltlab reads is family=4|6.`);
    }
    if (value !== '4' && value !== '6') throw invalid(`has family=${value}; it is 4 or 6.`);
    family = value === '4' ? 4 : 6;
  }
  const username = decodeUserInfo(url.username, invalid);
  const password = decodeUserInfo(url.password, invalid);
  return {
    tls: scheme === 'rediss',
    host,
    port,
    db,
    ...(username === '' ? {} : { username }),
    ...(password === '' ? {} : { password }),
    ...(family === undefined ? {} : { family }),
    display,
  };
}

/** Says which part of an address the URL parser refused: the port, else the host. */
function diagnoseUnparsable(
  afterScheme: string,
  lastAt: number,
  addressEnd: number,
  invalid: (what: string, fix?: string) => LtlabError,
): LtlabError {
  const address = afterScheme.slice(lastAt + 1, addressEnd === -1 ? undefined : addressEnd);
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(address)?.[1];
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port)) return invalid(`has the port '${port}', which is not a number.`);
    if (Number(port) > 65535) return invalid(`has port ${port}; a port is 1-65535.`);
  }
  return invalid('is not a valid URL (check the host).');
}

/** WHATWG keeps user-info percent-encoded; a '%' that starts no %XX escape cannot be decoded. */
function decodeUserInfo(encoded: string, invalid: (what: string, fix?: string) => LtlabError): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw invalid("has a password (or user name) with a '%' that starts no %XX escape.", ENCODE_FIX);
  }
}
