/**
 * What a command is, as data: its name, flags, arguments, help text and examples, and how to load
 * and run it. The tree of these (src/tree/) is all `ltlab --help` loads; a command's own code
 * (Prisma, BullMQ, TF.js) is imported only by its `run`.
 */

/** One flag. Parsed by commander, then validated by the command with zod. */
export interface FlagSpec {
  /** kebab-case, without dashes: `run-id`. */
  name: string;
  /** The name of its value shown in help (`DIR`); a flag without one is a boolean switch. */
  value?: string;
  description: string;
  /** Allowed values: listed in help and checked while parsing. */
  choices?: readonly string[];
  /** May be given more than once; the command receives an array. */
  multiple?: boolean;
}

export interface ArgSpec {
  name: string;
  description: string;
  /** Defaults to true. */
  required?: boolean;
  /** Takes every remaining argument. Only the last argument may be. */
  variadic?: boolean;
}

/** What a command's `run` receives: commander's parse, before the command's own validation. */
export interface CommandInput {
  /** Positional arguments in order (a variadic one spread out). */
  args: string[];
  /** The flags given, by kebab-case name; a flag not given is absent. */
  flags: Record<string, unknown>;
  /** `ltlab sweep submit <sweep.yaml> [--dry-run] [--json]`, for messages about bad input. */
  usage: string;
}

interface SpecBase {
  name: string;
  /** One line for command lists, starting lower-case: what it does. */
  summary: string;
  /** Paragraphs for its own --help, below the summary. */
  details?: string;
  /** Started by ltlab itself: not listed, not suggested, still runnable. */
  hidden?: boolean;
}

export interface LeafSpec extends SpecBase {
  args?: readonly ArgSpec[];
  flags?: readonly FlagSpec[];
  /** Complete command lines, each a runnable example (`ltlab sweep submit x.yaml --dry-run`). */
  examples: readonly string[];
  /** Imports the command's code (only now) and runs it; resolves to the exit code. */
  run: (input: CommandInput) => Promise<number>;
}

export interface GroupSpec extends SpecBase {
  commands: readonly CommandSpec[];
}

export type CommandSpec = LeafSpec | GroupSpec;

/** The program: its commands, and the text around their list in `ltlab --help`. */
export interface ProgramSpec {
  name: string;
  summary: string;
  commands: readonly CommandSpec[];
  /** Paragraphs after the command list (environment, exit codes). */
  footer: string;
}

export function isGroup(spec: CommandSpec): spec is GroupSpec {
  return 'commands' in spec;
}

/** `<config.yaml>`, `[name]`, `<run-id>...` */
export function argToken(arg: ArgSpec): string {
  const name = arg.required === false ? `[${arg.name}]` : `<${arg.name}>`;
  return arg.variadic === true ? `${name}...` : name;
}

/** `[--out DIR]`, `[--json]`, `[--where KEY=V]...` */
export function flagToken(flag: FlagSpec): string {
  const value = flag.choices === undefined ? flag.value : flag.choices.join('|');
  const inner = value === undefined ? `--${flag.name}` : `--${flag.name} ${value}`;
  return flag.multiple === true ? `[${inner}]...` : `[${inner}]`;
}

/** The usage line of a command at `path` (`['sweep', 'submit']`), without "Usage: ". */
export function usageOf(program: string, path: readonly string[], spec: CommandSpec): string {
  const head = [program, ...path].join(' ');
  if (isGroup(spec)) return `${head} <command> [flags]`;
  return [head, ...(spec.args ?? []).map(argToken), ...(spec.flags ?? []).map(flagToken)].join(' ');
}

/** Every command of the tree with its path, depth first (groups before their commands). */
export function walkCommands(
  commands: readonly CommandSpec[],
  parent: readonly string[] = [],
): Array<{ path: string[]; spec: CommandSpec }> {
  return commands.flatMap((spec) => {
    const path = [...parent, spec.name];
    return [{ path, spec }, ...(isGroup(spec) ? walkCommands(spec.commands, path) : [])];
  });
}
