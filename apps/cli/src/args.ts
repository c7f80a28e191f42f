import { type ParseArgsConfig, parseArgs } from 'node:util';
import { issuesOf, LtlabError, parseOrThrow } from '@ltlab/core';
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

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * For a command that still parses its own argv (`runs`; the others get commander's parse through
 * `validateFlags`): node:util's parser, then zod. Unknown flags are usage errors.
 */
export function parseCommand<S extends z.ZodType>(
  argv: readonly string[],
  options: Options,
  schema: S,
  usage: string,
): { values: z.output<S>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `${cause instanceof Error ? cause.message : String(cause)}\nUsage: ${usage}`,
      {
        fix: 'Run with --help for the flags this command takes.',
        cause,
      },
    );
  }
  return { values: parseOrThrow(schema, parsed.values, 'flags', `Usage: ${usage}`), positionals: parsed.positionals };
}
