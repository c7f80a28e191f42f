import { unknownNameHint } from '@ltlab/core';
import type { z } from 'zod';

/**
 * Parses a component's options with its own schema (a loss's, a backbone's, a transform's) inside
 * the run config's parse, and reports each problem at its exact place in the config: `path`
 * (where the options sit, relative to the schema being refined) followed by the issue's own path.
 * A misspelt key becomes an issue at the key (`options.temperatur: unknown key; did you mean
 * 'temperature'?`), as `parseOrThrow` reports the config's own keys. Returns the parsed options
 * with their defaults filled, or undefined after adding the issues.
 */
export function parseComponentOptions<S extends z.ZodType>(
  ctx: z.RefinementCtx,
  path: readonly PropertyKey[],
  schema: S,
  value: unknown,
): z.output<S> | undefined {
  const knownKeys = new Map<string, readonly string[]>();
  const result = schema.safeParse(value, {
    // Called while the issue still holds its strict object (`inst`); the finished issue does not.
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') knownKeys.set(pathKey(issue.path ?? []), shapeKeys(issue.inst));
      return undefined;
    },
  });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys.get(pathKey(issue.path)) ?? [];
      for (const key of issue.keys) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, ...issue.path, key],
          message: `unknown key${unknownNameHint(key, known)}`,
        });
      }
    } else {
      ctx.addIssue({ code: 'custom', path: [...path, ...issue.path], message: issue.message });
    }
  }
  return undefined;
}

function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String));
}

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: unknown } } } | undefined)?._zod?.def?.shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}
