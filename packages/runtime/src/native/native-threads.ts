import { availableParallelism } from 'node:os';
import { parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { processAffinity } from '../cpu-pinning.js';

const nativeThreadsSchema = z.coerce.number().int().min(1).max(256);

/** Reads `LTLAB_NATIVE_THREADS`; undefined when unset. */
export function nativeThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.LTLAB_NATIVE_THREADS;
  if (raw === undefined || raw === '') return undefined;
  return parseOrThrow(
    nativeThreadsSchema,
    raw,
    'LTLAB_NATIVE_THREADS',
    'Set LTLAB_NATIVE_THREADS to a whole number of threads from 1 to 256 (at most the cores this process may use).',
  );
}

/**
 * The default thread count of the native backend: the cores this process may run on. A worker
 * slot pinned to one core gets 1; a plain `ltlab train` gets the machine.
 */
export function defaultNativeThreads(): number {
  try {
    return Math.max(1, processAffinity().length);
  } catch {
    return availableParallelism();
  }
}
