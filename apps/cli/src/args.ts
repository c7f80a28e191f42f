import { type ParseArgsConfig, parseArgs } from 'node:util';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import type { z } from 'zod';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's flags with node:util, then validates them with zod so every bad flag is
 * reported with its name and the fix. Unknown flags are usage errors.
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
