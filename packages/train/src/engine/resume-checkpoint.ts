import { renameSync } from 'node:fs';
import { basename } from 'node:path';
import { type ErrorCode, isLtlabError, type LtlabError } from '@ltlab/core';
import { type CheckpointContents, type CheckpointRef, listCheckpoints, readCheckpoint } from './checkpoint-file.js';

/** An epoch checkpoint a resume examined and did not use, and why. */
export interface CheckpointRejection {
  /** Where it was when examined. */
  path: string;
  /** `CHECKPOINT.CORRUPT` (damaged file or state) or `CONFIG.INVALID` (it does not fit this run). */
  code: ErrorCode;
  /** The reason in one line: `truncated: payload is 100 of 5000 bytes`, `payload checksum mismatch`. */
  reason: string;
}

export interface ResumeChoice<T> {
  /** The newest checkpoint `use` accepted, and what it made of it; null when none did (or there is none). */
  chosen: { ref: CheckpointRef; value: T } | null;
  /** Every checkpoint examined before it (all of them when none was chosen), newest first. */
  rejected: CheckpointRejection[];
}

/**
 * The errors that reject one checkpoint and let the resume try the previous one: damage
 * (truncated, checksum, header, state) and checkpoints of another config (weights of another
 * shape, epochs past the run's). Anything else (a backend failure, out of memory) is not the
 * file's fault and stops the run as it would anywhere else.
 */
const REJECTING: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['CHECKPOINT.CORRUPT', 'CONFIG.INVALID']);

/** Longest reason kept: a weight mismatch can list dozens of tensors. */
const MAX_REASON = 400;

/**
 * Examines the epoch checkpoints of `dir` newest first: each is read and verified, then handed to
 * `use` (which loads it, throwing CHECKPOINT.CORRUPT or CONFIG.INVALID for one that does not fit
 * this run). The first that `use` accepts is chosen; each one before it is rejected with its
 * reason, so the caller can report which file it resumed from and which it passed over.
 */
export function chooseResumeCheckpoint<T>(
  dir: string,
  use: (ref: CheckpointRef, contents: CheckpointContents) => T,
): ResumeChoice<T> {
  const rejected: CheckpointRejection[] = [];
  for (const ref of listCheckpoints(dir)) {
    try {
      return { chosen: { ref, value: use(ref, readCheckpoint(ref.path)) }, rejected };
    } catch (error) {
      if (!isLtlabError(error) || !REJECTING.has(error.code)) throw error;
      rejected.push({ path: ref.path, code: error.code, reason: reasonOf(error) });
    }
  }
  return { chosen: null, rejected };
}

/** The newest checkpoint that reads back intact, and those rejected on the way; null if none does. */
export function latestValidCheckpoint(
  dir: string,
): { ref: CheckpointRef; contents: CheckpointContents; rejected: CheckpointRejection[] } | null {
  const { chosen, rejected } = chooseResumeCheckpoint(dir, (_ref, contents) => contents);
  return chosen === null ? null : { ref: chosen.ref, contents: chosen.value, rejected };
}

/** Where a rejected checkpoint is kept: beside its old name, no longer one a resume or `keepLast` sees. */
export function rejectedPath(path: string): string {
  return `${path}.rejected`;
}

/**
 * Renames a rejected checkpoint to `<name>.rejected`. Left in place, a damaged newer file would
 * be examined again by every later resume, and `keepLast` would delete the files this attempt
 * writes before it (it keeps the highest epochs). The bytes stay for inspection. Returns the new
 * path, or null when the file could not be moved (it is then only reported).
 */
export function setAside(rejected: CheckpointRejection): string | null {
  const target = rejectedPath(rejected.path);
  try {
    renameSync(rejected.path, target);
    return target;
  } catch {
    return null;
  }
}

/**
 * The trainer's log lines about a resume: one per rejected checkpoint, then the one resumed from,
 * or, when every checkpoint was rejected, a warning that training starts again from epoch 1.
 * `movedTo` holds where each rejected file was set aside (null: not moved).
 */
export function resumeLogLines(
  choice: { chosen: { ref: CheckpointRef } | null; rejected: readonly CheckpointRejection[] },
  movedTo: ReadonlyArray<string | null>,
): string[] {
  const lines = choice.rejected.map((rejected, index) => {
    const moved = movedTo[index];
    const where = moved === null || moved === undefined ? '' : `; kept as ${basename(moved)}`;
    return `checkpoint ${basename(rejected.path)} rejected [${rejected.code}]: ${rejected.reason}${where}`;
  });
  if (choice.chosen !== null) {
    const { ref } = choice.chosen;
    lines.push(`resuming from ${basename(ref.path)}: epoch ${ref.epoch + 1} is next`);
  } else if (choice.rejected.length > 0) {
    const count = choice.rejected.length;
    const which = count === 1 ? 'the only checkpoint was' : `all ${count} checkpoints were`;
    lines.push(`WARNING: ${which} rejected (damaged or not of this run): training starts again from epoch 1`);
  }
  return lines;
}

/** `details.reason` where the thrower gave one, else the message on one line, capped. */
function reasonOf(error: LtlabError): string {
  const given = error.details?.reason;
  let reason: string;
  if (typeof given === 'string') reason = given;
  else {
    const [head = '', ...rest] = error.message
      .split('\n')
      .map((line) => line.trim().replace(/^- /, ''))
      .filter((line) => line !== '');
    reason = rest.length === 0 ? head.replace(/\.$/, '') : `${head.replace(/:$/, '')}: ${rest.join('; ')}`;
  }
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
}
