import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isGroup, walkCommands } from '../src/command-spec.js';
import { PROGRAM } from '../src/tree/index.js';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));
const RECORD_RESOLVES = fileURLToPath(new URL('./__fixtures__/record-resolves.mjs', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Nothing answers here: a command that reached Redis or the database would fail. */
const UNREACHABLE = {
  REDIS_URL: 'redis://127.0.0.1:1',
  DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:1/none',
};

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function ltlab(args: readonly string[], options: { env?: NodeJS.ProcessEnv; node?: string[] } = {}): Promise<Result> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, ...UNREACHABLE, NO_COLOR: '1', ...options.env };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, [...(options.node ?? []), BIN, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: performance.now() - started })),
  );
}

const commands = walkCommands(PROGRAM.commands);

describe('ltlab explains itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-help-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists every command but the internal ones; --version prints the version', async () => {
    const [help, version, short] = await Promise.all([ltlab(['--help']), ltlab(['--version']), ltlab(['-v'])]);
    expect(help.status, help.stderr).toBe(0);
    for (const spec of PROGRAM.commands) {
      if (spec.hidden === true) expect(help.stdout).not.toMatch(new RegExp(`^ {2}${spec.name}\\b`, 'm'));
      else expect(help.stdout).toMatch(new RegExp(`^ {2}${spec.name}\\b`, 'm'));
    }
    expect(version).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(short.stdout).toBe(`${VERSION}\n`);
  });

  it('every command and subcommand has --help: usage, its flags and a runnable example', {
    timeout: 120_000,
  }, async () => {
    const results = await Promise.all(commands.map(({ path }) => ltlab([...path, '--help'])));
    commands.forEach(({ path, spec }, i) => {
      const { status, stdout, stderr } = results[i] as Result;
      const name = `ltlab ${path.join(' ')} --help`;
      expect(status, `${name}: ${stderr}`).toBe(0);
      expect(stdout, name).toMatch(new RegExp(`^Usage: ltlab ${path.join(' ')}( |\n)`));
      if (isGroup(spec)) {
        for (const child of spec.commands.filter((c) => c.hidden !== true))
          expect(stdout, name).toMatch(new RegExp(`^ {2}${path.join(' ')} ${child.name}\\b`, 'm'));
        return;
      }
      for (const flag of spec.flags ?? []) expect(stdout, name).toMatch(new RegExp(`^ {2}--${flag.name}\\b`, 'm'));
      expect(stdout, name).toMatch(new RegExp(`^Examples?:\\n {2}ltlab ${path.join(' ')}\\b`, 'm'));
    });
    // `ltlab help <command>` says the same.
    const viaHelp = await ltlab(['help', 'sweep']);
    expect(viaHelp.stdout).toBe(results[commands.findIndex(({ path }) => path.join(' ') === 'sweep')]?.stdout);
  });

  it('a misspelled command, subcommand or flag exits 2 with "Did you mean" and the usage', async () => {
    const [command, subcommand, flag, hidden] = await Promise.all([
      ltlab(['swep', 'list']),
      ltlab(['sweep', 'stauts', 'x']),
      ltlab(['sweep', 'submit', 'x.yaml', '--dryrun']),
      ltlab(['train-chil']),
    ]);
    expect(command.status).toBe(2);
    expect(command.stderr).toContain("unknown command 'swep'\n(Did you mean sweep?)");
    expect(subcommand.status).toBe(2);
    expect(subcommand.stderr).toContain(
      "unknown command 'stauts'\n(Did you mean status?)\nUsage: ltlab sweep <command>",
    );
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("unknown option '--dryrun'\n(Did you mean --dry-run?)");
    expect(flag.stderr).toContain('Usage: ltlab sweep submit <sweep.yaml> [--dry-run] [--max-runs N] [--json]');
    // Internal commands are not offered.
    expect(hidden.status).toBe(2);
    expect(hidden.stderr).not.toContain('Did you mean');
  });

  it("--help and typos load no command's code (no store, queue or TF.js)", async () => {
    for (const args of [['--help'], ['sweep', 'submit', '--help'], ['swep']]) {
      const log = join(dir, `resolves-${args.join('-')}.log`);
      writeFileSync(log, '');
      const result = await ltlab(args, { env: { LTLAB_RESOLVE_LOG: log }, node: ['--import', RECORD_RESOLVES] });
      expect(result.status).not.toBeNull();
      const loaded = readFileSync(log, 'utf8').split('\n');
      expect(loaded.some((url) => url.endsWith('/apps/cli/src/main.ts'))).toBe(true);
      const heavy = loaded.filter((url) =>
        /\/packages\/|\/apps\/cli\/src\/commands\/|\/node_modules\/(bullmq|ioredis|@prisma|@tensorflow|zod)\//.test(
          url,
        ),
      );
      expect(heavy, args.join(' ')).toEqual([]);
    }
  });

  it('sweep submit --dry-run expands the sweep without Redis or the database', { timeout: 60_000 }, async () => {
    writeFileSync(
      join(dir, 'base.json'),
      JSON.stringify({
        data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 10, imgMax: 60 } },
        backbone: { name: 'resnet8' },
        method: { loss: 'cross-entropy' },
        optimizer: { lr: 0.05 },
        epochs: 2,
        batchSize: 32,
      }),
    );
    writeFileSync(
      join(dir, 'sweep.yaml'),
      'name: dry\nbase: base.json\ngrid:\n  optimizer.lr: [0.05, 0.1, 0.02]\nreplicates: 2\n',
    );
    const env = { LTLAB_HOME: join(dir, 'home') };
    const [json, text] = await Promise.all([
      ltlab(['sweep', 'submit', join(dir, 'sweep.yaml'), '--dry-run', '--json'], { env }),
      ltlab(['sweep', 'submit', join(dir, 'sweep.yaml'), '--dry-run'], { env }),
    ]);
    expect(json.status, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout) as {
      dryRun: boolean;
      runs: number;
      sweptKeys: string[];
      expanded: Array<{ label: string; values: Record<string, unknown> }>;
    };
    expect(report).toMatchObject({ dryRun: true, runs: 6, sweptKeys: ['optimizer.lr', 'seed'] });
    expect(report.expanded.map((run) => run.label)).toEqual([
      'lr=0.05 seed=0',
      'lr=0.05 seed=1',
      'lr=0.1 seed=0',
      'lr=0.1 seed=1',
      'lr=0.02 seed=0',
      'lr=0.02 seed=1',
    ]);
    expect(report.expanded[2]?.values).toEqual({ 'optimizer.lr': 0.1, seed: 0 });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Sweep dry-[0-9a-f]{8}: 6 run\(s\); dry run, nothing stored or queued\.$/m);
    expect(text.stdout).toMatch(/^They differ in optimizer\.lr, seed:$/m);
    expect(text.stdout).toMatch(/^2 +lr=0\.1 seed=0 +0\.1 +0 +dry-/m);
    // Without --dry-run the same command needs the store, which is not there.
    const real = await ltlab(['sweep', 'submit', join(dir, 'sweep.yaml')], { env });
    expect(real.status).toBe(3);
  });
});
