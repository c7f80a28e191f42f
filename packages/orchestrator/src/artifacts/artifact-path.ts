import { LtlabError } from '@ltlab/core';

/** A run id as a directory name: the ids ltlab makes (`<sweep>-<hex>`), never `.` or `..`. */
const RUN_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;
/** One path segment: no separators, no NUL, no leading dot (so neither `.`, `..` nor hidden temp files). */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;
const MAX_SEGMENTS = 8;

/** Whether a run id is well-formed: a plain directory name. */
export function isArtifactRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}

/** Throws CONFIG.INVALID naming `runId` unless it is a plain directory name. */
export function checkRunId(runId: string): void {
  if (!RUN_ID.test(runId)) {
    throw new LtlabError('CONFIG.INVALID', `runId ${JSON.stringify(runId)} is not a run id.`, {
      fix: 'Use a run id as ltlab makes them: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.',
      details: { field: 'runId' },
    });
  }
}

/**
 * Checks a run id and a path inside its run directory before either touches a file system or a
 * URL: relative, `/`-separated, each segment a plain name. `..`, absolute paths, backslashes and
 * empty segments are refused, so no artifact can land outside its run's directory.
 */
export function checkArtifactPath(runId: string, relPath: string): string[] {
  checkRunId(runId);
  const segments = relPath.split('/');
  if (segments.length > MAX_SEGMENTS || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `path ${JSON.stringify(relPath)} of run ${runId} is not a relative path of plain names.`,
      {
        fix: 'Name a file inside the run directory, e.g. checkpoints/epoch-00004.ckpt (no `..`, no leading `/`, no `\\`).',
        details: { field: 'path' },
      },
    );
  }
  return segments;
}
