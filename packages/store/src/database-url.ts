import { resolve } from 'node:path';
import { LtlabError } from '@ltlab/core';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** The URL as Prisma and the driver adapters take it (`file:/abs/path.db` or `postgresql://...`). */
  url: string;
}

export interface ResolveDatabaseOptions {
  /** Defaults to process.env. `DATABASE_URL` wins when set. */
  env?: NodeJS.ProcessEnv;
  /** Where the embedded SQLite file lives; defaults to `LTLAB_HOME`, then `./.ltlab`. */
  dataDir?: string;
}

/** The ltlab data directory: `LTLAB_HOME`, else `.ltlab` under the working directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LTLAB_HOME ?? '.ltlab');
}

/**
 * Where the store lives: `DATABASE_URL` (PostgreSQL or a SQLite `file:` URL) when set, else the
 * embedded default, a SQLite file `ltlab.db` in the data directory.
 */
export function resolveDatabase(options: ResolveDatabaseOptions = {}): DatabaseTarget {
  const env = options.env ?? process.env;
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw.trim() === '') {
    const dataDir = options.dataDir ?? defaultDataDir(env);
    return { provider: 'sqlite', url: `file:${resolve(dataDir, 'ltlab.db')}` };
  }
  return parseDatabaseUrl(raw.trim());
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch (cause) {
      throw invalidUrl(url, cause);
    }
    return { provider: 'postgresql', url };
  }
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path === '') throw invalidUrl(url);
    return { provider: 'sqlite', url: path === ':memory:' ? url : `file:${resolve(path)}` };
  }
  throw invalidUrl(url);
}

/** The file behind a SQLite URL (`file:/x/ltlab.db` → `/x/ltlab.db`). */
export function sqlitePath(target: DatabaseTarget): string {
  return target.url.slice('file:'.length);
}

/** The URL with any password replaced, safe for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

function invalidUrl(url: string, cause?: unknown): LtlabError {
  return new LtlabError('CONFIG.INVALID', `DATABASE_URL '${redactUrl(url)}' is neither postgresql:// nor file:.`, {
    fix: 'Use postgresql://user:password@host:5432/db, file:/path/to/ltlab.db, or unset it for the embedded SQLite.',
    cause,
  });
}
