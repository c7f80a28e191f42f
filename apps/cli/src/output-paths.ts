import { accessSync, constants, type Stats, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LtlabError } from '@ltlab/core';

/**
 * Paths a command writes to (`runs export --output FILE`, `train --out DIR`), checked before the
 * command does any work, so a typo fails at once with CONFIG.INVALID naming the flag and the
 * fix, and nothing is created on the way (no directories, no partial file).
 */

/** Writing there changes the kernel, not a file (`/proc/sys/...`); /dev stays open for /dev/stdout. */
const KERNEL_FILESYSTEMS = ['/proc', '/sys'] as const;

/** Checks `--output FILE`: an existing file is replaced; its directory must exist and be writable. */
export function checkOutputFile(path: string, flag: string): string {
  const file = resolve(path);
  const fail = (problem: string, fix: string) => usage(flag, path, problem, fix);
  refuseKernelFilesystem(file, flag, path);
  const stats = statOrUndefined(file, flag, path);
  if (stats !== undefined) {
    if (stats.isDirectory())
      throw fail('is a directory.', `Name a file in it, e.g. ${flag} ${resolve(file, 'runs.csv')}.`);
    if (stats.isFile() && !writable(file)) {
      throw fail(
        'exists and is not writable by this user.',
        `Make it writable (chmod u+w ${file}) or name another file.`,
      );
    }
    return file;
  }
  const directory = dirname(file);
  const parent = statOrUndefined(directory, flag, path);
  if (parent === undefined) {
    throw fail(
      `is in ${directory}, which does not exist.`,
      `Create it first (mkdir -p ${directory}) or name a file in an existing directory.`,
    );
  }
  if (!parent.isDirectory())
    throw fail(`is under ${directory}, which is a file, not a directory.`, 'Name a file in a directory.');
  if (!writable(directory)) {
    throw fail(
      `is in ${directory}, which is not writable by this user.`,
      'Name a file in a directory you can write to.',
    );
  }
  return file;
}

/** Writes a checked `--output` file; a failure that got past the check is still named. */
export function writeOutputFile(file: string, text: string, flag: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new LtlabError('CONFIG.INVALID', `${flag} '${file}': writing failed (${code}).`, {
      fix: 'Name a file on a writable disk with room for it.',
      details: { field: flag, path: file },
      cause: error,
    });
  }
}

/**
 * Checks `--out DIR`: an existing directory must be writable; a missing one is created later, so
 * its nearest existing ancestor must be a writable directory.
 */
export function checkOutputDirectory(path: string, flag: string): string {
  const directory = resolve(path);
  const fail = (problem: string, fix: string) => usage(flag, path, problem, fix);
  refuseKernelFilesystem(directory, flag, path);
  let current = directory;
  for (;;) {
    const stats = statOrUndefined(current, flag, path);
    if (stats !== undefined) {
      if (!stats.isDirectory()) {
        throw current === directory
          ? fail('is a file, not a directory.', `Name a directory, e.g. ${flag} ${directory}.d, or move the file away.`)
          : fail(`cannot be created: ${current} is a file, not a directory.`, 'Name a directory under a directory.');
      }
      if (!writable(current)) {
        throw fail(`cannot be written: ${current} is not writable by this user.`, 'Name a directory you can write to.');
      }
      return directory;
    }
    const parent = dirname(current);
    if (parent === current) return directory;
    current = parent;
  }
}

function refuseKernelFilesystem(absolute: string, flag: string, given: string): void {
  const root = KERNEL_FILESYSTEMS.find((r) => absolute === r || absolute.startsWith(`${r}/`));
  if (root !== undefined) {
    throw usage(
      flag,
      given,
      `is under ${root}, a kernel filesystem, not a place for output.`,
      'Name a path on a disk.',
    );
  }
}

/** The path's stats; undefined when it does not exist (or a part of it is a file). */
function statOrUndefined(path: string, flag: string, given: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw usage(
      flag,
      given,
      `cannot be looked at (${code ?? String(error)}).`,
      'Check the permissions of its directories.',
    );
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function usage(flag: string, given: string, problem: string, fix: string): LtlabError {
  return new LtlabError('CONFIG.INVALID', `${flag} '${given}' ${problem}`, {
    fix,
    details: { field: flag, path: given },
  });
}
