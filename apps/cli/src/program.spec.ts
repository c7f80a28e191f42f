import { describe, expect, it } from 'vitest';
import type { CommandInput, ProgramSpec } from './command-spec.js';
import { EXIT } from './exit-codes.js';
import { runProgram } from './program.js';

function harness() {
  const calls: Array<{ name: string; input: CommandInput }> = [];
  const program: ProgramSpec = {
    name: 'ltlab',
    summary: 'experiments.',
    footer: '',
    commands: [
      {
        name: 'sweep',
        summary: 'sweeps',
        commands: [
          {
            name: 'submit',
            summary: 'submit one',
            args: [{ name: 'sweep.yaml', description: 'the file' }],
            flags: [
              { name: 'dry-run', description: 'expand only' },
              { name: 'run-id', value: 'ID', description: 'an id' },
              { name: 'where', value: 'KEY=V', multiple: true, description: 'a filter' },
              { name: 'backend', value: 'NAME', choices: ['cpu', 'wasm'], description: 'the backend' },
            ],
            examples: ['ltlab sweep submit a.yaml'],
            run: async (input) => {
              calls.push({ name: 'submit', input });
              return 7;
            },
          },
        ],
      },
      {
        name: 'compare',
        summary: 'compare runs',
        args: [{ name: 'run-id', description: 'runs', variadic: true }],
        examples: ['ltlab compare a b'],
        run: async (input) => {
          calls.push({ name: 'compare', input });
          return 0;
        },
      },
      { name: 'train-child', summary: 'internal', hidden: true, examples: [], run: async () => 5 },
    ],
  };
  const io = { out: '', err: '' };
  const run = (...argv: string[]) =>
    runProgram(program, '1.2.3', argv, {
      out: (text) => {
        io.out += text;
      },
      err: (text) => {
        io.err += text;
      },
      error: (text) => text,
      width: 80,
    });
  return { calls, io, run };
}

describe('runProgram (commander over the command tree)', () => {
  it('runs a command with its arguments and flags by their kebab-case names, and returns its exit code', async () => {
    const { calls, run } = harness();
    expect(
      await run(
        'sweep',
        'submit',
        'a.yaml',
        '--dry-run',
        '--run-id',
        'x',
        '--where',
        'a=1',
        '--where=b>=2',
        '--backend',
        'cpu',
      ),
    ).toBe(7);
    expect(calls).toEqual([
      {
        name: 'submit',
        input: {
          args: ['a.yaml'],
          flags: { 'dry-run': true, 'run-id': 'x', where: ['a=1', 'b>=2'], backend: 'cpu' },
          usage: 'ltlab sweep submit <sweep.yaml> [--dry-run] [--run-id ID] [--where KEY=V]... [--backend cpu|wasm]',
        },
      },
    ]);
  });

  it('leaves out flags not given and spreads a variadic argument', async () => {
    const { calls, run } = harness();
    expect(await run('compare', 'a', 'b', 'c')).toBe(0);
    expect(calls[0]?.input).toMatchObject({ args: ['a', 'b', 'c'], flags: {} });
  });

  it('--help and --version answer on stdout with 0, without running anything', async () => {
    const { calls, io, run } = harness();
    expect(await run('--version')).toBe(EXIT.ok);
    expect(io.out).toBe('1.2.3\n');
    expect(await run('sweep', 'submit', '--help')).toBe(EXIT.ok);
    expect(io.out).toMatch(/^Usage: ltlab sweep submit <sweep\.yaml>/m);
    expect(await run('help', 'sweep')).toBe(EXIT.ok);
    expect(io.out).toMatch(/^ {2}sweep submit <sweep\.yaml> {2}submit one$/m);
    expect(calls).toEqual([]);
  });

  it('misspellings are usage errors (2) with a suggestion and the usage line; hidden commands are not suggested', async () => {
    const { calls, io, run } = harness();
    expect(await run('swep')).toBe(EXIT.usage);
    expect(io.err).toContain("[CONFIG.INVALID] unknown command 'swep'\n(Did you mean sweep?)");
    expect(await run('sweep', 'sbmit')).toBe(EXIT.usage);
    expect(io.err).toContain('(Did you mean submit?)\nUsage: ltlab sweep <command> [flags]');
    expect(await run('sweep', 'submit', 'a.yaml', '--dryrun')).toBe(EXIT.usage);
    expect(io.err).toContain(
      "[CONFIG.INVALID] unknown option '--dryrun'\n(Did you mean --dry-run?)\nUsage: ltlab sweep submit",
    );
    io.err = '';
    expect(await run('train-chld')).toBe(EXIT.usage);
    expect(io.err).not.toContain('Did you mean');
    expect(calls).toEqual([]);
  });

  it('missing or extra arguments, bad choices and a bare group are usage errors; hidden commands still run', async () => {
    const { io, run } = harness();
    expect(await run('sweep', 'submit')).toBe(EXIT.usage);
    expect(io.err).toContain("missing required argument 'sweep.yaml'");
    expect(await run('sweep', 'submit', 'a', 'b')).toBe(EXIT.usage);
    expect(await run('sweep', 'submit', 'a', '--backend', 'gpu')).toBe(EXIT.usage);
    expect(io.err).toContain('Allowed choices are cpu, wasm');
    expect(io.err).toContain("[CONFIG.INVALID] option '--backend <NAME>' argument 'gpu' is invalid.");
    expect(await run('sweep')).toBe(EXIT.usage);
    expect(await run()).toBe(EXIT.usage);
    expect(await run('train-child')).toBe(5);
  });
});
