/**
 * The stable error codes of ltlab. A code never changes meaning once released: the queue, the
 * store and the dashboard key on it. `retryable` is the default for the code; a thrower may
 * override it for one instance (a transient read error of an otherwise good file, say).
 */
export const ERROR_CODES = {
  'CONFIG.INVALID': { retryable: false, summary: 'A configuration value is invalid.' },
  'CONFIG.UNKNOWN_NAME': { retryable: false, summary: 'A registry has no entry of that name.' },
  'CONFIG.UNSUPPORTED': {
    retryable: false,
    summary: 'The configuration is valid but cannot run as combined.',
  },
  'DATA.MISSING': { retryable: false, summary: 'A data file or directory does not exist.' },
  'DATA.CORRUPT': { retryable: false, summary: 'A data file is truncated or malformed.' },
  'TRAIN.NAN_LOSS': { retryable: false, summary: 'The loss became NaN or infinite.' },
  'TRAIN.OUT_OF_MEMORY': { retryable: true, summary: 'The device ran out of memory.' },
  'TRAIN.INTERRUPTED': { retryable: true, summary: 'Training was stopped before it finished.' },
  'TRAIN.KILLED': {
    retryable: true,
    summary: 'The trainer process was killed by a signal (not by the out-of-memory killer) before it finished.',
  },
  'CHECKPOINT.CORRUPT': { retryable: false, summary: 'A checkpoint is partial or damaged.' },
  'CHECKPOINT.UNAVAILABLE': {
    retryable: true,
    summary: 'The artifact store lists checkpoints of a run, but none can be fetched or stored now.',
  },
  'RUNTIME.BACKEND_UNAVAILABLE': {
    retryable: false,
    summary: 'The requested TensorFlow.js backend cannot be loaded.',
  },
  'RUNTIME.KERNEL_MISSING': {
    retryable: false,
    summary: 'The active backend lacks a kernel this computation needs.',
  },
  'STORE.UNAVAILABLE': { retryable: true, summary: 'The database cannot be reached.' },
  'STORE.CONFLICT': { retryable: false, summary: 'A write conflicts with stored data.' },
  'QUEUE.UNAVAILABLE': { retryable: true, summary: 'Redis cannot be reached.' },
  'RUN.CANCELLED': { retryable: false, summary: 'The run was cancelled by a user.' },
  'RUN.EARLY_STOPPED': { retryable: false, summary: "The sweep's early-stopping rule stopped the run." },
  'RUN.NOT_FOUND': { retryable: false, summary: 'No run or sweep has that id.' },
  INTERNAL: { retryable: false, summary: 'A bug in ltlab: please report it.' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
