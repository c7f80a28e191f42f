import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDiff, type JsonObject, openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../src/program.js';
import { PROGRAM } from '../src/tree/index.js';

/** `ltlab runs ...` in this process, through the same command tree as the binary. */
function runsInProcess(args: readonly string[]): Promise<number> {
  const io = { out: () => {}, err: () => {}, error: (text: string) => text, width: 100 };
  return runProgram(PROGRAM, '0.0.0', ['runs', ...args], io);
}

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));

const config = (loss: string, lr: number, extra: JsonObject = {}): JsonObject => ({
  seed: 1,
  method: { loss },
  optimizer: { lr },
  epochs: 8,
  ...extra,
});

/** Two sweeps of a small grid, seeded straight into the store: no training needed. */
const RUNS = [
  // id, sweep, label, config, test evaluations (epoch, top1, few): the latest one counts.
  {
    id: 'sa-paco',
    sweep: 'sa',
    label: 'paco',
    config: config('paco', 0.05),
    test: [
      [4, 0.5, 0.2],
      [8, 0.72, 0.55],
    ],
  },
  {
    id: 'sa-ce',
    sweep: 'sa',
    label: 'ce',
    config: config('ce', 0.1),
    test: [
      [4, 0.6, 0.6],
      [8, 0.68, 0.3],
    ],
  },
  { id: 'sb-paco', sweep: 'sb', label: 'paco', config: config('paco', 0.1, { amp: true }), test: [[8, 0.65, 0.51]] },
  { id: 'sb-new', sweep: 'sb', label: 'queued', config: config('ce', 0.05), test: [] },
] as const;

interface ListJson {
  total: number;
  runs: Array<{ id: string; label: string; top1: number | null; few: number | null }>;
}

describe('ltlab runs list / show / compare: ids, labels, metric filters, config differences', () => {
  let dir: string;
  let store: PrismaRunStore;
  let env: NodeJS.ProcessEnv;
  const ltlab = (...args: string[]) => spawnSync(process.execPath, [BIN, 'runs', ...args], { env, encoding: 'utf8' });
  /** The command in this process, for the many JSON checks (a spawned CLI takes seconds each). */
  async function json<T>(...args: string[]): Promise<T> {
    let written = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written += String(chunk);
      return true;
    });
    try {
      expect(await runsInProcess([...args, '--json'])).toBe(0);
    } finally {
      write.mockRestore();
    }
    return JSON.parse(written) as T;
  }
  const ids = async (...args: string[]) => (await json<ListJson>('list', ...args)).runs.map((r) => r.id);
  const saved = { DATABASE_URL: process.env.DATABASE_URL, LTLAB_HOME: process.env.LTLAB_HOME };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-runs-query-'));
    env = { ...process.env, LTLAB_HOME: dir, DATABASE_URL: `file:${join(dir, 'ltlab.db')}`, NO_COLOR: '1' };
    process.env.LTLAB_HOME = env.LTLAB_HOME;
    process.env.DATABASE_URL = env.DATABASE_URL;
    store = await openRunStore({ target: { provider: 'sqlite', url: env.DATABASE_URL as string }, migrate: true });
    for (const sweep of ['sa', 'sb']) {
      await store.saveSweep({
        id: sweep,
        name: sweep,
        spec: {},
        specHash: sweep,
        objectiveMetric: 'top1',
        objectiveMode: 'max',
        priority: 0,
        maxConcurrency: null,
      });
    }
    for (const [ordinal, run] of RUNS.entries()) {
      await store.addRuns([
        {
          id: run.id,
          sweepId: run.sweep,
          fingerprint: run.id,
          config: run.config,
          configHash: run.id,
          label: run.label,
          ordinal,
          sweptKeys: ['method.loss', 'optimizer.lr'],
        },
      ]);
      for (const [epoch, top1, few] of run.test) {
        await store.recordEvaluation({ runId: run.id, split: 'test', epoch, top1, few, many: 0.9, medium: 0.6 });
        // A validation evaluation that would pass every test/ filter: only the named split counts.
        await store.recordEvaluation({ runId: run.id, split: 'val', epoch, top1: 0.99, few: 0.99 });
      }
    }
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs list shows each run id beside its label, in text and JSON', async () => {
    const text = ltlab('list');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^id\s+label\s+status\s+epoch\s+top-1 %/m);
    expect(text.stdout).toMatch(/^sa-paco\s+paco\s+queued\s+8\s+72\.00\s/m);
    expect(text.stdout).toMatch(/^sb-new\s+queued\s+queued\s/m);
    expect(await ids()).toEqual(['sa-paco', 'sa-ce', 'sb-paco', 'sb-new']);
  });

  it('--where filters on the latest evaluation of the named split, with hyperparameters', async () => {
    expect(await ids('--where', 'test/few>=0.5')).toEqual(['sa-paco', 'sb-paco']);
    expect(await ids('--where', 'test/top1<=0.7')).toEqual(['sa-ce', 'sb-paco']);
    expect(await ids('--where', 'test/few>=0.5', '--where', 'optimizer.lr>=0.1')).toEqual(['sb-paco']);
    expect(await ids('--where', 'test/few>=0.5', '--sweep', 'sa')).toEqual(['sa-paco']);
    expect(await ids('--where', 'method.loss=ce')).toEqual(['sa-ce', 'sb-new']);
    expect(await ids('--where', 'val/few>=0.9')).toEqual(['sa-paco', 'sa-ce', 'sb-paco']);
    const limited = await json<ListJson>('list', '--where', 'test/top1>=0', '--limit', '1');
    expect({ total: limited.total, ids: limited.runs.map((r) => r.id) }).toEqual({ total: 3, ids: ['sa-paco'] });
  });

  it('a bad --where term exits 2 naming the term and the fix', () => {
    const bad = ltlab('list', '--where', 'test/loss>=0.5');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--where 'test/loss>=0.5': 'loss' is not a metric of an evaluation.");
    expect(bad.stderr).toContain('top1, top5, many, medium, few');
    const percent = ltlab('list', '--where', 'test/few>=50');
    expect(percent.status).toBe(2);
    expect(percent.stderr).toContain('test/few>=0.5');
  });

  it('runs show takes an id, or a label unique within --sweep; an ambiguous label lists its ids', async () => {
    expect((await json<{ run: { id: string } }>('show', 'ce')).run.id).toBe('sa-ce');
    const inSweep = ltlab('show', 'paco', '--sweep', 'sb');
    expect(inSweep.status, inSweep.stderr).toBe(0);
    expect(inSweep.stdout).toMatch(/^sb-paco {2}paco$/m);

    const ambiguous = ltlab('show', 'paco');
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain("Label 'paco' names 2 runs:");
    expect(ambiguous.stderr).toContain('- sa-paco (sweep sa)');
    expect(ambiguous.stderr).toContain('- sb-paco (sweep sb)');
    expect(ambiguous.stderr).toContain('--sweep ID');

    await expect(runsInProcess(['show', 'nope'])).rejects.toThrow("No run has the id or label 'nope'.");
  });

  it('runs compare prints the config keys that differ beside the metrics; --json has the diff', async () => {
    const text = ltlab('compare', 'sa-paco', 'sb-paco');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^sa-paco\s+paco\s+queued\s+8\s+72\.00\s/m);
    const diff = text.stdout.slice(text.stdout.indexOf('config differences:'));
    // Labels repeat (paco, paco), so the columns are the ids.
    expect(diff).toMatch(/^key\s+sa-paco\s+sb-paco$/m);
    expect(diff).toMatch(/^amp\s+\(absent\)\s+true$/m);
    expect(diff).toMatch(/^optimizer\.lr\s+0\.05\s+0\.1$/m);
    expect(diff).not.toMatch(/^method\.loss/m);

    const compared = await json<{ runs: Array<{ id: string }>; diff: unknown }>('compare', 'sa-paco', 'ce');
    expect(compared.runs.map((r) => r.id)).toEqual(['sa-paco', 'sa-ce']);
    // The dashboard's implementation, through JSON as its API sends it.
    const expected = configDiff([RUNS[0].config, RUNS[1].config]);
    expect(compared.diff).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(compared.diff).toEqual([
      { key: 'method.loss', values: ['paco', 'ce'] },
      { key: 'optimizer.lr', values: [0.05, 0.1] },
    ]);

    expect((await json<{ diff: unknown[] }>('compare', 'sa-paco', 'sa-paco')).diff).toEqual([]);
  });
});
