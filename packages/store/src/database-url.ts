import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LtlabError, redactUrl } from '@ltlab/core';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** The URL as Prisma and the driver adapters take it (`file:/abs/path.db` or `postgresql://...`). */
  url: string;
  /**
   * The setting the URL came from, named in errors so the user knows what to change:
   * `DATABASE_URL` (the default), `LTLAB_HOME` for the embedded file, or a flag (`--database`).
   */
  setting?: string;
}

export interface ResolveDatabaseOptions {
  /** Defaults to process.env. `DATABASE_URL` wins when set. */
  env?: NodeJS.ProcessEnv;
  /** Where the embedded SQLite file lives; defaults to `LTLAB_HOME`, then `./.ltlab`. */
  dataDir?: string;
}

const URL_FORMS = 'postgresql://user:password@host:5432/db or file:/path/to/ltlab.db';

/** The ltlab data directory: `LTLAB_HOME`, else `.ltlab` under the working directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LTLAB_HOME ?? '.ltlab');
}

/**
 * Where the store lives: `DATABASE_URL` (PostgreSQL or a SQLite `file:` URL) when set, else the
 * embedded default, a SQLite file `ltlab.db` in the data directory. A DATABASE_URL that is set
 * but empty is an error, not the default: it is usually a variable that failed to expand, and
 * falling back would write to another database without a word.
 */
export function resolveDatabase(options: ResolveDatabaseOptions = {}): DatabaseTarget {
  const env = options.env ?? process.env;
  const raw = env.DATABASE_URL;
  if (raw === undefined) {
    const dataDir = options.dataDir ?? defaultDataDir(env);
    return { provider: 'sqlite', url: `file:${resolve(dataDir, 'ltlab.db')}`, setting: 'LTLAB_HOME' };
  }
  if (raw.trim() === '') {
    throw new LtlabError('CONFIG.INVALID', 'DATABASE_URL is set but empty.', {
      fix: `Unset it (unset DATABASE_URL) for the embedded SQLite in $LTLAB_HOME, or set it to ${URL_FORMS}.`,
      details: { field: 'DATABASE_URL' },
    });
  }
  return parseDatabaseUrl(raw.trim());
}

/** A PostgreSQL or SQLite URL; `setting` names where it came from in errors. */
export function parseDatabaseUrl(url: string, setting = 'DATABASE_URL'): DatabaseTarget {
  const named = `${setting} '${redactUrl(url)}'`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgresql' || scheme === 'postgres') {
    assertPostgresUrl(url, named, setting);
    return { provider: 'postgresql', url, setting };
  }
  if (scheme === 'file') return { provider: 'sqlite', url: sqliteFileUrl(url, named, setting), setting };
  if (scheme === 'sqlite') {
    throw invalid(named, setting, 'is written as a sqlite: URL; SQLite databases are file: URLs here.', {
      fix: `Write ${setting}=file:/path/to/ltlab.db (an absolute path, or file:./ltlab.db relative to here).`,
    });
  }
  const what =
    scheme === undefined || !url.includes('://')
      ? 'is neither a postgresql:// nor a file: URL.'
      : `uses ${scheme}://, which ltlab's store does not support: it keeps runs in PostgreSQL or SQLite.`;
  throw invalid(named, setting, what, {
    fix: `Use ${URL_FORMS}, or drop ${setting} for the embedded SQLite in $LTLAB_HOME.`,
  });
}

/** The file behind a SQLite URL (`file:/x/ltlab.db` → `/x/ltlab.db`). */
export function sqlitePath(target: DatabaseTarget): string {
  return target.url.slice('file:'.length);
}

/** The setting and its (redacted) value, as errors name it: `DATABASE_URL 'postgresql://u:***@h/db'`. */
export function describeDatabaseSetting(target: DatabaseTarget): string {
  const setting = target.setting ?? 'DATABASE_URL';
  if (setting === 'LTLAB_HOME') return `LTLAB_HOME (the SQLite file ${sqlitePath(target)})`;
  return `${setting} '${redactUrl(target.url)}'`;
}

/** Parses like the pg driver does, so a URL it would choke on fails here with the fix. */
function assertPostgresUrl(url: string, named: string, setting: string): void {
  const encodingFix =
    `Write it as postgresql://user:password@host:5432/db, percent-encoding special characters of the ` +
    `user and password (/ as %2F, @ as %40, : as %3A, # as %23, % as %25).`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(
      named,
      setting,
      'is not a valid URL (a port that is not a number, or an unencoded / or # in the password?).',
      {
        fix: encodingFix,
      },
    );
  }
  for (const [part, value] of [
    ['user', parsed.username],
    ['password', parsed.password],
    ['database name', parsed.pathname],
  ] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      throw invalid(named, setting, `has a malformed %-escape in its ${part}.`, { fix: encodingFix });
    }
  }
  const timeout = parsed.searchParams.get('connect_timeout');
  if (timeout !== null && !/^\d+$/.test(timeout)) {
    throw invalid(named, setting, `has connect_timeout=${timeout}; it must be a whole number of seconds.`, {
      fix: 'Write connect_timeout=10 (seconds), or leave it out for the default of 10.',
    });
  }
}

/** `file:/abs`, `file:relative` (resolved against the working directory) or `file:///abs`. */
function sqliteFileUrl(url: string, named: string, setting: string): string {
  const rest = url.slice('file:'.length);
  if (rest === ':memory:') return url;
  let path = rest;
  if (rest.startsWith('//')) {
    try {
      path = fileURLToPath(new URL(url));
    } catch (cause) {
      throw invalid(named, setting, `is not a valid file URL: ${(cause as Error).message}.`, {
        fix: 'Write file:/path/to/ltlab.db (or file:///path/to/ltlab.db).',
      });
    }
  }
  if (path === '') {
    throw invalid(named, setting, 'names no file.', {
      fix: `Write file:/path/to/ltlab.db, or drop ${setting} for the embedded SQLite in $LTLAB_HOME.`,
    });
  }
  return `file:${resolve(path)}`;
}

function invalid(named: string, setting: string, problem: string, options: { fix: string }): LtlabError {
  return new LtlabError('CONFIG.INVALID', `${named} ${problem}`, { fix: options.fix, details: { field: setting } });
}
