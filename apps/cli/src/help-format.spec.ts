import { describe, expect, it } from 'vitest';
import type { GroupSpec, LeafSpec, ProgramSpec } from './command-spec.js';
import { formatCommandHelp, formatProgramHelp, wrap } from './help-format.js';

const run = async () => 0;
const submit: LeafSpec = {
  name: 'submit',
  summary: 'store and queue a sweep',
  details: 'A first paragraph.\n\nA second one.',
  args: [{ name: 'sweep.yaml', description: 'the sweep file' }],
  flags: [
    { name: 'dry-run', description: 'expand only' },
    { name: 'backend', value: 'NAME', choices: ['cpu', 'wasm'], description: 'the backend' },
    { name: 'where', value: 'KEY=V', multiple: true, description: 'a filter' },
  ],
  examples: ['ltlab sweep submit a.yaml --dry-run'],
  run,
};
const sweep: GroupSpec = {
  name: 'sweep',
  summary: 'describe, submit and follow sweeps',
  commands: [submit, { name: 'secret', summary: 'internal', hidden: true, examples: [], run }],
};
const program: ProgramSpec = {
  name: 'ltlab',
  summary: 'experiments.',
  commands: [sweep, { name: 'child', summary: 'internal', hidden: true, examples: [], run }],
  footer: 'Exit codes: 0 ok.',
};

describe('help text', () => {
  it("a leaf: usage, its own line, details, arguments, flags with choices and 'repeatable', examples", () => {
    const text = formatCommandHelp('ltlab', ['sweep', 'submit'], submit, 80);
    expect(text).toMatch(
      /^Usage: ltlab sweep submit <sweep\.yaml> \[--dry-run\] \[--backend cpu\|wasm\] \[--where KEY=V\]\.\.\.$/m,
    );
    expect(text).toMatch(/^ {2}sweep submit <sweep\.yaml> {2}store and queue a sweep$/m);
    expect(text).toContain('A first paragraph.\n\nA second one.');
    // The command line, arguments and flags share one column.
    expect(text).toMatch(/^ {2}sweep\.yaml {17}the sweep file$/m);
    expect(text).toMatch(/^ {2}--backend NAME +the backend \(one of cpu, wasm\)$/m);
    expect(text).toMatch(/^ {2}--where KEY=V +a filter \(repeatable\)$/m);
    expect(text).toMatch(/^ {2}-h, --help +show this help$/m);
    expect(text).toMatch(/^Example:\n {2}ltlab sweep submit a\.yaml --dry-run$/m);
  });

  it('a group lists its visible commands with their arguments', () => {
    const text = formatCommandHelp('ltlab', ['sweep'], sweep, 80);
    expect(text).toMatch(/^Usage: ltlab sweep <command> \[flags\]$/m);
    expect(text).toMatch(/^ {2}sweep submit <sweep\.yaml> {2}store and queue a sweep$/m);
    expect(text).not.toContain('secret');
  });

  it('the program lists a group by its command names, hides internal commands and ends with the footer', () => {
    const text = formatProgramHelp(program, 80);
    expect(text.split('\n')[0]).toBe('ltlab: experiments.');
    expect(text).toMatch(/^ {2}sweep submit {2}describe, submit and follow sweeps$/m);
    expect(text).not.toMatch(/child|secret/);
    expect(text).toMatch(/^ {2}-v, --version +print the version$/m);
    expect(text.endsWith('Exit codes: 0 ok.')).toBe(true);
  });

  it('wraps long descriptions under their column and puts a long term on a line of its own', () => {
    const long: LeafSpec = { ...submit, name: 'a-very-long-command-name-indeed', summary: 'word '.repeat(30).trim() };
    const text = formatProgramHelp({ ...program, commands: [long] }, 70);
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.includes('a-very-long-command-name-indeed'));
    expect(lines[at]).toBe('  a-very-long-command-name-indeed <sweep.yaml>');
    const column = (lines[at + 1] as string).indexOf('word');
    expect(column).toBeGreaterThan(2);
    expect(lines[at + 2]?.indexOf('word')).toBe(column);
    for (const line of lines.slice(at + 1, at + 4)) expect(line.length).toBeLessThanOrEqual(70);
  });

  it('wrap keeps words whole', () => {
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('unbreakable', 4)).toEqual(['unbreakable']);
    expect(wrap('', 10)).toEqual(['']);
  });
});
