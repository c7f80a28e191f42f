import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LtlabError } from '@ltlab/core';

/**
 * The last guard of the CLI (main.ts) for Node system errors that escape a command. Commands name
 * their bad paths and addresses themselves (see output-paths.ts, the store's checks); what gets
 * here was missed there. A path or address problem about the user's own files or hosts is shown
 * as a usage error without a stack; anything about ltlab's own files stays an internal error.
 */

/** Errno codes that name the user's path, with what they mean in words. */
const PATH_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists',
  EROFS: 'is on a read-only filesystem',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

/** Errno codes that name the user's host or port. */
const ADDRESS_PROBLEMS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name does not resolve',
};

/** ltlab's own code: a missing or unreadable file there is a bug, not a user's input. */
const CLI_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface SystemError {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  address?: string;
  hostname?: string;
  port?: number;
}

/** A coded usage error for a system error about the user's path or address; undefined otherwise. */
export function systemErrorAsUsage(error: unknown): LtlabError | undefined {
  if (!isSystemError(error)) return undefined;
  const action = error.syscall ?? 'the operation';
  const pathProblem = PATH_PROBLEMS[error.code];
  if (pathProblem !== undefined && error.path !== undefined) {
    if (isOwnFile(error.path)) return undefined;
    return new LtlabError('CONFIG.INVALID', `${error.path}: ${pathProblem} (${error.code} on ${action}).`, {
      fix: 'Check the path given on the command line, in the config file or in the environment.',
      details: { path: error.path, errno: error.code },
      cause: error,
    });
  }
  const addressProblem = ADDRESS_PROBLEMS[error.code];
  const host = error.hostname ?? error.address;
  if (addressProblem !== undefined && host !== undefined) {
    const address = error.port === undefined ? host : `${host}:${error.port}`;
    return new LtlabError('CONFIG.INVALID', `${address}: ${addressProblem} (${error.code} on ${action}).`, {
      fix: 'Check the host and port given on the command line or in the environment.',
      details: { address, errno: error.code },
      cause: error,
    });
  }
  return undefined;
}

function isSystemError(error: unknown): error is SystemError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

function isOwnFile(path: string): boolean {
  return path.startsWith(CLI_ROOT) || path.includes(`${sep}node_modules${sep}`);
}
