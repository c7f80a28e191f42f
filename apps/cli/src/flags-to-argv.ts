import type { CommandInput, FlagSpec } from './command-spec.js';

/**
 * An argv again from commander's parse, for a command that still parses its own argv (`runs`):
 * the arguments, then each flag given, as `--name=value` so a value starting with '-' stays a value.
 */
export function flagsToArgv(input: CommandInput, flags: readonly FlagSpec[]): string[] {
  const out = [...input.args];
  for (const flag of flags) {
    const value = input.flags[flag.name];
    if (value === undefined || value === false) continue;
    if (value === true) out.push(`--${flag.name}`);
    else for (const item of Array.isArray(value) ? value : [value]) out.push(`--${flag.name}=${String(item)}`);
  }
  return out;
}
