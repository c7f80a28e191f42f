import type { ErrorCode } from '@ltlab/core';

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** A run or check finished but failed (e.g. `sweep status --wait` with failed runs). */
  failed: 1,
  /** Bad command line or config. */
  usage: 2,
  /** Redis, the database or the data is not reachable; trying again later may work. */
  unavailable: 3,
  /** A bug. */
  internal: 70,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  if (code.startsWith('CONFIG.') || code === 'RUN.NOT_FOUND') return EXIT.usage;
  if (code === 'STORE.UNAVAILABLE' || code === 'QUEUE.UNAVAILABLE' || code.startsWith('DATA.')) return EXIT.unavailable;
  if (code === 'INTERNAL') return EXIT.internal;
  return EXIT.failed;
}
