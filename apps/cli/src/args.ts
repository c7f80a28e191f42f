import { issuesOf, LtlabError } from '@ltlab/core';
import type { z } from 'zod';
import type { CommandInput } from './command-spec.js';

/**
 * Validates the flags commander parsed with the command's zod schema; every bad flag is named
 * (`--port: ...`) with the usage line as the fix.
 */
export function validateFlags<S extends z.ZodType>(schema: S, input: CommandInput): z.output<S> {
  const result = schema.safeParse(input.flags);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const lines = issues.map((issue) => `  - --${issue.path}: ${issue.message}`).join('\n');
  throw new LtlabError('CONFIG.INVALID', `Invalid flag${issues.length === 1 ? '' : 's'}:\n${lines}`, {
    fix: `Usage: ${input.usage}`,
    details: { issues },
    cause: result.error,
  });
}
