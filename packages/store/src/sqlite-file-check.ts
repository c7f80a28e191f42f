import { accessSync, closeSync, constants, openSync, readSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { type DatabaseTarget, describeDatabaseSetting, sqlitePath } from './database-url.js';

/** Where the kernel, not a disk, answers: SQLite there fails late, or blocks on a device or pipe. */
const KERNEL_FILESYSTEMS = ['/proc', '/sys', '/dev'] as const;

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Checks the file behind a SQLite target before SQLite or Prisma touch it, so a bad path fails at
 * once with CONFIG.INVALID naming the setting (DATABASE_URL, LTLAB_HOME, --database) and the fix,
 * instead of a hang (a device or pipe under /proc or /dev), an opaque engine error, or a stray
 * directory or database created somewhere. The store always writes (journal mode, migrations,
 * runs), so the file, or the directory it will be created in, must be writable.
 */
export function assertUsableSqliteFile(target: DatabaseTarget): void {
  if (target.provider !== 'sqlite' || target.url === 'file::memory:') return;
  const file = sqlitePath(target);
  const fail = (problem: string, fix: string) =>
    new LtlabError('CONFIG.INVALID', `${describeDatabaseSetting(target)}: ${problem}`, {
      fix,
      details: { field: target.setting ?? 'DATABASE_URL', path: file },
    });
  const elsewhere =
    target.setting === 'LTLAB_HOME'
      ? 'point LTLAB_HOME at a directory of your own, or set DATABASE_URL'
      : `point ${target.setting ?? 'DATABASE_URL'} at a file on a disk, e.g. file:/var/lib/ltlab/ltlab.db`;

  const found = inspect(file);
  const kernelRoot = kernelFilesystemOf(file) ?? kernelFilesystemOf(realPath(found.path));
  if (kernelRoot !== undefined) {
    throw fail(
      `${file} is under ${kernelRoot}, a kernel filesystem, not a place for a database.`,
      `${capitalized(elsewhere)}.`,
    );
  }
  if (found.kind === 'unreadable') {
    throw fail(`${found.path} cannot be looked into (${found.reason}).`, `Fix its permissions, or ${elsewhere}.`);
  }
  if (found.kind === 'missing') {
    if (!found.ancestorStats.isDirectory()) {
      throw fail(
        `${found.path} is a file, not a directory, so ${file} cannot be created under it.`,
        `${capitalized(elsewhere)}.`,
      );
    }
    if (!accessible(found.path, constants.W_OK | constants.X_OK)) {
      throw fail(
        `${file} does not exist and ${found.path} is not writable by this user to create it.`,
        `${capitalized(elsewhere)}.`,
      );
    }
    return;
  }
  const stats = found.stats;
  if (stats.isDirectory()) {
    throw fail(
      `${file} is a directory, not a database file.`,
      `Name a file in it, e.g. file:${join(file, 'ltlab.db')}.`,
    );
  }
  if (!stats.isFile()) {
    throw fail(`${file} is not a regular file (a device, pipe or socket).`, `${capitalized(elsewhere)}.`);
  }
  if (!accessible(file, constants.R_OK | constants.W_OK)) {
    throw fail(
      `${file} is not writable by this user; the store writes to it (journal mode, migrations, runs).`,
      `Make it writable (chmod u+w ${file}) or run as its owner, or ${elsewhere}.`,
    );
  }
  if (stats.size > 0 && readHeader(file) !== SQLITE_HEADER) {
    throw fail(
      `${file} is not a SQLite database (it does not start with the SQLite header).`,
      `Move the file away (ltlab then creates a new database there), or ${elsewhere}.`,
    );
  }
  // SQLite keeps its write-ahead log beside the database and must create it when it is missing.
  const directory = dirname(file);
  const sideFiles = [`${file}-wal`, `${file}-shm`];
  if (
    !accessible(directory, constants.W_OK | constants.X_OK) &&
    !sideFiles.every((side) => accessible(side, constants.R_OK | constants.W_OK))
  ) {
    throw fail(
      `the directory ${directory} is not writable, and SQLite keeps ${basename(file)}-wal and -shm beside the database.`,
      `Make ${directory} writable, or ${elsewhere}.`,
    );
  }
}

type Inspected =
  | { kind: 'exists'; path: string; stats: Stats }
  | { kind: 'missing'; path: string; ancestorStats: Stats }
  | { kind: 'unreadable'; path: string; reason: string };

/** The file's stats, or for a missing file the nearest ancestor that exists (path = that ancestor). */
function inspect(file: string): Inspected {
  let path = file;
  for (;;) {
    try {
      const stats = statSync(path);
      return path === file ? { kind: 'exists', path, stats } : { kind: 'missing', path, ancestorStats: stats };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: some ancestor is a file; keep walking up to find it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        return { kind: 'unreadable', path, reason: code ?? String(error) };
      }
    }
    const parent = dirname(path);
    if (parent === path) return { kind: 'unreadable', path, reason: 'no part of the path exists' };
    path = parent;
  }
}

function kernelFilesystemOf(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return KERNEL_FILESYSTEMS.find((root) => path === root || path.startsWith(`${root}/`));
}

/** Symlinks resolved (a link into /proc counts as /proc); undefined when it cannot be resolved. */
function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function accessible(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function readHeader(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('latin1');
  } finally {
    closeSync(fd);
  }
}
