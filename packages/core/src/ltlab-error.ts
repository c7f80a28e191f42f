import { ERROR_CODES, type ErrorCode, isErrorCode } from './error-codes.js';

export interface LtlabErrorOptions {
  /** What the user should do about it, in one sentence ("Install dataset-fashion-mnist ..."). */
  fix?: string;
  /** Overrides the code's default retry behaviour for this one error. */
  retryable?: boolean;
  /** The underlying error, kept for logs and `error.cause` chains. */
  cause?: unknown;
  /** Structured context (field paths, file names, step numbers) for machines and the dashboard. */
  details?: Record<string, unknown>;
}

/** The plain-object form of an error, as it crosses process and queue boundaries. */
export interface SerializedLtlabError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  fix?: string;
  details?: Record<string, unknown>;
  cause?: string;
}

/**
 * The one error type of ltlab. The code is stable and machine-readable; `retryable` decides
 * whether the queue tries the job again; `fix` tells a person what to change.
 */
export class LtlabError extends Error {
  override readonly name = 'LtlabError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly fix: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: LtlabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.fix = options.fix;
    this.details = options.details;
  }

  /** `[CODE] message Fix: ...`: what a CLI prints. */
  describe(): string {
    const fix = this.fix === undefined ? '' : `\nFix: ${this.fix}`;
    return `[${this.code}] ${this.message}${fix}`;
  }

  toJSON(): SerializedLtlabError {
    const out: SerializedLtlabError = {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.fix !== undefined) out.fix = this.fix;
    if (this.details !== undefined) out.details = this.details;
    if (this.cause !== undefined) out.cause = describeCause(this.cause);
    return out;
  }

  /** Rebuilds an error sent by another process; an unknown code becomes INTERNAL. */
  static fromJSON(value: unknown): LtlabError {
    if (typeof value !== 'object' || value === null) {
      return new LtlabError('INTERNAL', `Malformed serialized error: ${String(value)}`);
    }
    const raw = value as Partial<Record<keyof SerializedLtlabError, unknown>>;
    const message = typeof raw.message === 'string' ? raw.message : 'Unknown error';
    const code = isErrorCode(raw.code) ? raw.code : 'INTERNAL';
    const options: LtlabErrorOptions = {};
    if (typeof raw.retryable === 'boolean') options.retryable = raw.retryable;
    if (typeof raw.fix === 'string') options.fix = raw.fix;
    if (typeof raw.details === 'object' && raw.details !== null) {
      options.details = raw.details as Record<string, unknown>;
    }
    if (typeof raw.cause === 'string') options.cause = raw.cause;
    return new LtlabError(code, message, options);
  }
}

export function isLtlabError(value: unknown): value is LtlabError {
  return value instanceof LtlabError;
}

/** Wraps anything thrown into an LtlabError, keeping LtlabErrors as they are. */
export function toLtlabError(value: unknown, fallback: ErrorCode = 'INTERNAL'): LtlabError {
  if (value instanceof LtlabError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new LtlabError(fallback, message, { cause: value });
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
