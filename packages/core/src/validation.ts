import type { z } from 'zod';
import { unknownNameHint } from './did-you-mean.js';
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

/**
 * The keys a strict object knows, by the formatted path of the object, as `parseOrThrow`
 * collects them: zod's finished `unrecognized_keys` issue no longer holds its schema.
 */
export type KnownKeys = ReadonlyMap<string, readonly string[]>;

/**
 * One issue per bad field. An unrecognized key becomes an issue at the key's own path
 * (`optimizer.lrr: unknown key; did you mean 'lr'?`) when `knownKeys` lists its object's keys.
 */
export function issuesOf(error: z.ZodError, knownKeys: KnownKeys = new Map()): ValidationIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [{ path: formatIssuePath(issue.path), message: issue.message }];
    const known = knownKeys.get(formatIssuePath(issue.path)) ?? [];
    return issue.keys.map((key) => ({
      path: formatIssuePath([...issue.path, key]),
      message: `unknown key${unknownNameHint(key, known)}`,
    }));
  });
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
  const knownKeys = new Map<string, readonly string[]>();
  const result = schema.safeParse(input, {
    // Called while the issue still holds its strict object (`inst`), with its full path.
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') knownKeys.set(formatIssuePath(issue.path ?? []), shapeKeys(issue.inst));
      return undefined;
    },
  });
  if (result.success) return result.data;
  const issues = issuesOf(result.error, knownKeys);
  const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
  throw new LtlabError('CONFIG.INVALID', `Invalid ${what}:\n${lines}`, {
    fix,
    details: { issues },
    cause: result.error,
  });
}

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: unknown } } } | undefined)?._zod?.def?.shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}
