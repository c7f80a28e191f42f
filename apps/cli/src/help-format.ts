import {
  argToken,
  type CommandSpec,
  type FlagSpec,
  isGroup,
  type LeafSpec,
  type ProgramSpec,
  usageOf,
} from './command-spec.js';

const INDENT = '  ';
const GAP = 2;
/** A term longer than this puts its description on the next line, as `sweep submit|status|...` does. */
const MAX_TERM = 28;
const HELP_FLAG = { term: '-h, --help', text: 'show this help' };

/** `ltlab --help`: what ltlab is, the visible commands, the global flags, then the footer. */
export function formatProgramHelp(program: ProgramSpec, width: number): string {
  const entries = program.commands.filter((c) => c.hidden !== true).map((c) => entryOf([c.name], c, true));
  return [
    `${program.name}: ${program.summary}`,
    '',
    `Usage: ${program.name} <command> [flags]`,
    '',
    ...table(entries, width),
    '',
    'Flags:',
    ...table(
      [
        {
          term: '-h, --help',
          text: `show help; after a command, its flags and examples (${program.name} sweep --help)`,
        },
        { term: '-v, --version', text: 'print the version' },
      ],
      width,
    ),
    '',
    program.footer,
  ].join('\n');
}

/** `ltlab <path> --help`: usage, the command's line, details, then its commands or its flags and examples. */
export function formatCommandHelp(program: string, path: readonly string[], spec: CommandSpec, width: number): string {
  const lines = [`Usage: ${usageOf(program, path, spec)}`, ''];
  if (isGroup(spec)) {
    lines.push(...wrap(spec.summary, width));
    if (spec.details !== undefined) lines.push('', ...paragraphs(spec.details, width));
    const visible = spec.commands.filter((c) => c.hidden !== true);
    lines.push(
      '',
      'Commands:',
      ...table(
        visible.map((c) => entryOf([...path, c.name], c, false)),
        width,
      ),
    );
    lines.push('', `Run '${program} ${path.join(' ')} <command> --help' for a command's flags and examples.`);
    return lines.join('\n');
  }
  const self = [entryOf(path, spec, false)];
  const args = (spec.args ?? []).map((a) => ({ term: a.name, text: a.description }));
  const flags = [...(spec.flags ?? []).map(flagEntry), HELP_FLAG];
  // One column for the command's line, its arguments and its flags, so the page reads as one table.
  const column = columnOf([...self, ...args, ...flags]);
  lines.push(...table(self, width, column));
  if (spec.details !== undefined) lines.push('', ...paragraphs(spec.details, width));
  if (args.length > 0) lines.push('', 'Arguments:', ...table(args, width, column));
  lines.push('', 'Flags:', ...table(flags, width, column));
  lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:', ...spec.examples.map((e) => `${INDENT}${e}`));
  return lines.join('\n');
}

interface Entry {
  term: string;
  text: string;
}

/**
 * A command's line in a list: a group at the top level names its commands
 * (`sweep submit|status|list`), anything else shows its path and arguments.
 */
function entryOf(path: readonly string[], spec: CommandSpec, top: boolean): Entry {
  if (isGroup(spec)) {
    const names = spec.commands.filter((c) => c.hidden !== true).map((c) => c.name);
    return { term: top ? `${path.join(' ')} ${names.join('|')}` : path.join(' '), text: spec.summary };
  }
  return { term: [...path, ...leafArgs(spec)].join(' '), text: spec.summary };
}

function leafArgs(spec: LeafSpec): string[] {
  return (spec.args ?? []).map(argToken);
}

function flagEntry(flag: FlagSpec): Entry {
  const value = flag.value ?? (flag.choices === undefined ? undefined : 'NAME');
  const notes = [
    ...(flag.choices === undefined ? [] : [`one of ${flag.choices.join(', ')}`]),
    ...(flag.multiple === true ? ['repeatable'] : []),
  ];
  return {
    term: value === undefined ? `--${flag.name}` : `--${flag.name} ${value}`,
    text: notes.length === 0 ? flag.description : `${flag.description} (${notes.join('; ')})`,
  };
}

/** Where the text column of `entries` starts, after the indent: past the longest term (up to MAX_TERM). */
function columnOf(entries: readonly Entry[]): number {
  return Math.min(MAX_TERM, Math.max(0, ...entries.map((e) => e.term.length))) + GAP;
}

/** Two columns; the text wraps within `width`, a long term puts its text on the next line. */
function table(entries: readonly Entry[], width: number, column = columnOf(entries)): string[] {
  const pad = ' '.repeat(INDENT.length + column);
  const textWidth = Math.max(30, width - pad.length);
  return entries.flatMap(({ term, text }) => {
    const [first = '', ...rest] = wrap(text, textWidth);
    const head =
      term.length + GAP > column ? [`${INDENT}${term}`, `${pad}${first}`] : [`${INDENT}${term.padEnd(column)}${first}`];
    return [...head, ...rest.map((line) => `${pad}${line}`)];
  });
}

/** Blank-line separated paragraphs, each wrapped; a line starting with spaces is kept as written. */
function paragraphs(text: string, width: number): string[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .flatMap((paragraph, i) => [
      ...(i === 0 ? [] : ['']),
      ...(/^ /.test(paragraph) ? paragraph.split('\n') : wrap(paragraph, width)),
    ]);
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
