import { Command, CommanderError, Option } from 'commander';
import { type ArgSpec, type CommandSpec, type FlagSpec, isGroup, type ProgramSpec, usageOf } from './command-spec.js';
import { EXIT } from './exit-codes.js';
import { formatCommandHelp, formatProgramHelp } from './help-format.js';

export interface ProgramIO {
  out(text: string): void;
  err(text: string): void;
  /** Marks an error message (red on a terminal). */
  error(text: string): string;
  /** The columns help text wraps to. */
  width: number;
}

/**
 * Parses argv with commander against the command tree and runs the command it names. Help,
 * `--version` and usage errors (`[CONFIG.INVALID] ...` with "Did you mean ...?") are answered
 * here, before any command code loads. Resolves to the exit code; a command's own errors
 * propagate to the caller.
 */
export async function runProgram(
  spec: ProgramSpec,
  version: string,
  argv: readonly string[],
  io: ProgramIO,
): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command(spec.name);
  configure(program, io, () => formatProgramHelp(spec, io.width), `Run '${spec.name} --help' for the commands.`);
  program.version(version, '-v, --version', 'print the version');
  const setCode = (value: number) => {
    code = value;
  };
  for (const command of spec.commands) addCommand(program, spec.name, [], command, io, setCode);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOf(error);
    throw error;
  }
  return code;
}

/** Help asked for and --version succeed (commander exits 0 for them); anything else is a usage error. */
export function exitCodeOf(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
}

function addCommand(
  parent: Command,
  programName: string,
  parentPath: readonly string[],
  spec: CommandSpec,
  io: ProgramIO,
  setCode: (code: number) => void,
): void {
  const path = [...parentPath, spec.name];
  const usage = usageOf(programName, path, spec);
  const command = new Command(spec.name).description(spec.summary);
  parent.addCommand(command, { hidden: spec.hidden === true });
  configure(
    command,
    io,
    () => formatCommandHelp(programName, path, spec, io.width),
    `Usage: ${usage}\nRun '${[programName, ...path].join(' ')} --help' for ${isGroup(spec) ? 'its commands' : 'its flags and examples'}.`,
  );
  if (isGroup(spec)) {
    for (const child of spec.commands) addCommand(command, programName, path, child, io, setCode);
    return;
  }
  for (const arg of spec.args ?? []) command.argument(commanderArgument(arg), arg.description);
  const flags = spec.flags ?? [];
  for (const flag of flags) command.addOption(commanderOption(flag));
  command.action(async () => {
    setCode(await spec.run({ args: positionals(command), flags: flagValues(command, flags), usage }));
  });
}

function configure(command: Command, io: ProgramIO, help: () => string, afterError: string): void {
  command
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      // Usage errors carry the same code as a bad flag value caught later (validateFlags).
      outputError: (text, write) => write(io.error(text.replace(/^error: /, '[CONFIG.INVALID] '))),
    })
    .configureHelp({ formatHelp: () => `${help()}\n` })
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .showHelpAfterError(afterError);
}

function commanderArgument(arg: ArgSpec): string {
  const name = arg.variadic === true ? `${arg.name}...` : arg.name;
  return arg.required === false ? `[${name}]` : `<${name}>`;
}

function commanderOption(flag: FlagSpec): Option {
  const value = flag.value ?? (flag.choices === undefined ? undefined : 'name');
  const option = new Option(value === undefined ? `--${flag.name}` : `--${flag.name} <${value}>`, flag.description);
  if (flag.choices !== undefined) option.choices(flag.choices);
  if (flag.multiple === true)
    option.argParser((item: string, previous: string[] | undefined) => [...(previous ?? []), item]);
  return option;
}

function positionals(command: Command): string[] {
  return (command.processedArgs as unknown[]).flatMap((value) =>
    value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)],
  );
}

/** The flags given, by their kebab-case names (commander keys them camelCase). */
function flagValues(command: Command, flags: readonly FlagSpec[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of command.options) {
    const flag = flags.find((f) => option.long === `--${f.name}`);
    const value = command.getOptionValue(option.attributeName()) as unknown;
    if (flag !== undefined && value !== undefined) values[flag.name] = value;
  }
  return values;
}
