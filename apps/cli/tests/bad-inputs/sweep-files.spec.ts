import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis, DEFAULT_MAX_RUNS } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase, type TemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_DEFAULT_MAX_RUNS } from '../../src/tree/sweep.js';
import { type CodedFailure, expectCodedFailure, runLtlab } from './run-ltlab.js';

/**
 * Bad sweep files given to `ltlab sweep submit`, with and without --dry-run: each is refused with
 * exit 2 and one coded message naming the bad field, no stack trace, and nothing in the store or
 * the queue (a fresh SQLite store and a queue prefix of its own, checked after every case).
 */
const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 2,
  batchSize: 64,
};

describe('ltlab sweep submit with a bad sweep file', () => {
  let dir: string;
  let database: TemporaryDatabase;
  let store: PrismaRunStore;
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  let env: Record<string, string>;
  const prefix = `ltlab-test-bad-sweeps-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-bad-sweeps-'));
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
    database = await createTemporaryDatabase('sqlite', { label: 'bad-sweeps', migrate: true });
    store = await openRunStore({ target: database.target });
    redis = await connectRedis({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix });
    env = { DATABASE_URL: database.target.url, LTLAB_QUEUE_PREFIX: prefix, LTLAB_HOME: dir };
  });

  afterAll(async () => {
    const left = await redis.keys(`${prefix}:*`);
    if (left.length > 0) await redis.del(...left);
    redis.disconnect();
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  /** `sweep submit` and `sweep submit --dry-run` both refuse it, and nothing is stored or queued. */
  async function expectRefused(path: string, expected: Omit<CodedFailure, 'exit' | 'code'>, extra: string[] = []) {
    for (const dryRun of [[], ['--dry-run']]) {
      const result = await runLtlab(['sweep', 'submit', path, ...dryRun, ...extra], { env });
      expectCodedFailure(result, { exit: 2, code: 'CONFIG.INVALID', ...expected });
    }
    expect(await store.listSweeps()).toEqual([]);
    expect((await store.listRuns()).total).toBe(0);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  }

  it('a misspelt top-level key', async () => {
    const path = write('grdi.yaml', 'name: typo\nbase: base.json\ngrdi:\n  optimizer.lr: [0.1, 0.2]\n');
    await expectRefused(path, { mentions: ["grdi: unknown key; did you mean 'grid'?", 'grdi.yaml'] });
  });

  it('a misspelt early-stopping setting', async () => {
    const path = write(
      'early.yaml',
      'name: typo\nbase: base.json\ngrid:\n  optimizer.lr: [0.1, 0.2]\nearlyStopping: { rule: median, minEpoch: 3 }\n',
    );
    await expectRefused(path, { mentions: ["earlyStopping.minEpoch: unknown key; did you mean 'minEpochs'?"] });
  });

  it('a misspelt key in the base config, inline or in its file', async () => {
    const inline = write(
      'base-inline.json',
      JSON.stringify({ name: 'typo', base: { ...base, optimiser: { lr: 0.5 } }, grid: { 'optimizer.lr': [0.1] } }),
    );
    await expectRefused(inline, { mentions: ["base.optimiser: unknown key; did you mean 'optimizer'?"] });
    writeFileSync(join(dir, 'typo-base.json'), JSON.stringify({ ...base, checkpoint: { keepLst: 1 } }));
    const file = write('base-file.yaml', 'name: typo\nbase: typo-base.json\n');
    await expectRefused(file, { mentions: ["base.checkpoint.keepLst: unknown key; did you mean 'keepLast'?"] });
  });

  it('a grid over a path the run config does not have', async () => {
    const path = write('lrr.yaml', 'name: typo\nbase: base.json\ngrid:\n  optimizer.lrr: [0.1, 0.2]\n');
    await expectRefused(path, {
      mentions: ["grid.optimizer.lrr: the run config has no 'optimizer.lrr'; did you mean 'optimizer.lr'?"],
    });
  });

  it('a grid over a single value instead of a list', async () => {
    const path = write('scalar.yaml', 'name: scalar\nbase: base.json\ngrid:\n  optimizer.lr: 0.1\n');
    await expectRefused(path, { mentions: ['grid.optimizer.lr: must be a list of values'] });
  });

  it('an empty grid list', async () => {
    const path = write('empty-list.yaml', 'name: empty\nbase: base.json\ngrid:\n  optimizer.lr: []\n');
    await expectRefused(path, { mentions: ['grid.optimizer.lr: must list at least one value'] });
  });

  it('a grid of 10^6 runs, refused before it is expanded', async () => {
    const thousand = `[${Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000).join(', ')}]`;
    const path = write(
      'huge.yaml',
      `name: huge\nbase: base.json\ngrid:\n  optimizer.lr: ${thousand}\n  optimizer.momentum: ${thousand}\n`,
    );
    const started = Date.now();
    await expectRefused(path, {
      mentions: [
        "Sweep 'huge' expands to 1,000,000 runs (1000 grid.optimizer.lr x 1000 grid.optimizer.momentum), above the limit of 10,000",
        'maxRuns: 1000000',
        '--max-runs',
      ],
    });
    // Two CLI starts; expanding it took minutes before the count came first.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('more runs than --max-runs or the file allows, and a bad --max-runs', async () => {
    const path = write('three.yaml', 'name: three\nbase: base.json\ngrid:\n  optimizer.lr: [0.1, 0.2, 0.3]\n');
    await expectRefused(path, { mentions: ['expands to 3 runs', 'limit of 2'] }, ['--max-runs', '2']);
    await expectRefused(path, { mentions: ['--max-runs'] }, ['--max-runs', '0']);
    await expectRefused(path, { mentions: ['--max-runs'] }, ['--max-runs', 'many']);
    const capped = write(
      'capped.yaml',
      'name: capped\nbase: base.json\nmaxRuns: 2\ngrid:\n  optimizer.lr: [0.1, 0.2, 0.3]\n',
    );
    await expectRefused(capped, { mentions: ['limit of 2'] });
  });

  it('a YAML syntax error', async () => {
    const path = write('syntax.yaml', 'name: [unclosed\nbase: base.json\n');
    await expectRefused(path, { mentions: ['syntax.yaml is not valid YAML', 'line 2'] });
  });

  it('a missing file', async () => {
    await expectRefused(join(dir, 'missing.yaml'), { mentions: ['missing.yaml does not exist'] });
  });

  it('a directory instead of a file', async () => {
    mkdirSync(join(dir, 'a-directory.yaml'));
    await expectRefused(join(dir, 'a-directory.yaml'), { mentions: ['a-directory.yaml is a directory'] });
  });

  it('YAML that is not a mapping', async () => {
    await expectRefused(write('list.yaml', '- name: a\n- name: b\n'), {
      mentions: ['must be a mapping of sweep fields, not a list'],
    });
    await expectRefused(write('scalar-file.yaml', '42\n'), { mentions: ['not a number'] });
  });

  it('a key given twice', async () => {
    const path = write(
      'duplicate.yaml',
      'name: twice\nbase: base.json\ngrid:\n  optimizer.lr: [0.1]\ngrid:\n  epochs: [1, 2]\n',
    );
    await expectRefused(path, { mentions: ['duplicate.yaml is not valid YAML: Map keys must be unique', 'line 5'] });
  });

  it("a misspelt key of a variant's own", async () => {
    const path = write(
      'variant-key.yaml',
      'name: variants\nbase: base.json\nvariants:\n  - name: ce\n    sett: { method: { loss: cross-entropy } }\n',
    );
    await expectRefused(path, { mentions: ["variants[0].sett: unknown key; did you mean 'set'?"] });
  });

  it('a variant setting keys the run config does not have', async () => {
    const path = write(
      'variant-config.yaml',
      [
        'name: variants',
        'base: base.json',
        'variants:',
        '  - name: ldam',
        '    set: { method: { loss: ldam, optionz: { s: 1 } } }',
        '  - name: slow',
        '    set: { optimiser.lr: 0.01 }',
        '',
      ].join('\n'),
    );
    await expectRefused(path, {
      mentions: [
        "variants[0].set.method.optionz: unknown key; did you mean 'options'?",
        "variants[1].set.optimiser.lr: the run config has no 'optimiser'; did you mean 'optimizer'?",
      ],
    });
  });

  it('the help states the default limit the orchestrator applies', () => {
    expect(SWEEP_DEFAULT_MAX_RUNS).toBe(DEFAULT_MAX_RUNS);
  });

  // The control: a good file is stored and queued, so the checks above can see a write.
  it('a good sweep file is stored and queued', async () => {
    const path = write('good.yaml', 'name: good\nbase: base.json\ngrid:\n  optimizer.lr: [0.1, 0.2]\n');
    const dry = await runLtlab(['sweep', 'submit', path, '--dry-run'], { env });
    expect(dry.status, dry.stderr).toBe(0);
    expect(await store.listSweeps()).toEqual([]);
    const submitted = await runLtlab(['sweep', 'submit', path, '--json'], { env });
    expect(submitted.status, submitted.stderr).toBe(0);
    expect((await store.listSweeps()).map((sweep) => sweep.name)).toEqual(['good']);
    expect((await store.listRuns()).total).toBe(2);
    expect(await redis.keys(`${prefix}:*`)).not.toEqual([]);
  });
});
