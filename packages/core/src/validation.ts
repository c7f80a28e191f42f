import type { z } from 'zod';
import { LtlabError } from './ltlab-error.js';

/** One problem found in an input, with the dotted path of the field (`optimizer.lr`). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** `a.b[2].c` from zod's path segments; the root is `(root)`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath(issue.path),
    message: issue.message,
  }));
}

/**
 * Parses `input` with `schema`, or throws CONFIG.INVALID listing every bad field with its path.
 * `what` names the input in the message ("run config configs/x.yaml", "loss 'paco' options").
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  fix = 'Correct the fields listed above.',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
  throw new LtlabError('CONFIG.INVALID', `Invalid ${what}:\n${lines}`, {
    fix,
    details: { issues },
    cause: result.error,
  });
}
