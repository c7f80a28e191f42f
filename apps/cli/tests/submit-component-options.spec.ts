import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase, type TemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCodedFailure, runLtlab } from './bad-inputs/run-ltlab.js';

/**
 * Component names and options are parsed at submit (docs/architecture.md §5.1): a bad loss,
 * option, sampler or transform is refused by `ltlab sweep submit` with exit 2 naming its config
 * path, not on a worker; and a run stores its filled options, so a query on a default finds it.
 */
const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 2,
  batchSize: 64,
};

describe('ltlab sweep submit parses component names and options', () => {
  let dir: string;
  let database: TemporaryDatabase;
  let store: PrismaRunStore;
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  let env: Record<string, string>;
  const prefix = `ltlab-test-component-options-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-component-options-'));
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
    database = await createTemporaryDatabase('sqlite', { label: 'component-options', migrate: true });
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

  function write(name: string, lines: string[]): string {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  it('refuses a misspelt loss, a misspelt or out-of-range option, an unknown sampler and transform, naming each path', async () => {
    const path = write('bad-components.yaml', [
      'name: bad-components',
      'base: base.json',
      'variants:',
      '  - name: pac0',
      '    set: { method.loss: pac0 }',
      '  - name: typo',
      '    set: { method: { loss: paco, options: { temperatur: 0.1 } } }',
      '  - name: range',
      '    set: { method: { loss: ldam, options: { maxM: -1 } } }',
      '  - name: sampler',
      '    set: { sampler: { name: clas-balanced } }',
      '  - name: transform',
      '    set: { data.transforms.train: [{ name: randomCrp, size: 28 }] }',
    ]);
    const result = await runLtlab(['sweep', 'submit', path], { env });
    expectCodedFailure(result, {
      exit: 2,
      code: 'CONFIG.INVALID',
      mentions: [
        "method.loss: Unknown loss 'pac0'; did you mean 'paco'?",
        "method.options.temperatur: unknown key; did you mean 'temperature'?",
        /method\.options\.maxM: Too small: expected number to be >0/,
        "sampler.name: Unknown sampler 'clas-balanced'; did you mean 'class-balanced'?",
        "data.transforms.train[0].name: Unknown transform 'randomCrp'; did you mean 'randomCrop'?",
      ],
    });
    expect(await store.listSweeps()).toEqual([]);
    expect((await store.listRuns()).total).toBe(0);
  });

  it('stores the filled options: a PaCo run that left temperature out is found at its default 0.2', async () => {
    const path = write('paco.yaml', [
      'name: paco-default',
      'base: base.json',
      'variants:',
      '  - name: paco',
      '    set: { method.loss: paco }',
      '  - name: paco-t01',
      '    set: { method: { loss: paco, options: { temperature: 0.1 } } }',
    ]);
    const submitted = await runLtlab(['sweep', 'submit', path, '--json'], { env });
    expect(submitted.status, submitted.stderr).toBe(0);
    const listed = await runLtlab(['runs', 'list', '--where', 'method.options.temperature=0.2', '--json'], { env });
    expect(listed.status, listed.stderr).toBe(0);
    const { runs } = JSON.parse(listed.stdout) as { runs: Array<{ label: string }> };
    expect(runs.map((run) => run.label)).toEqual(['paco']);
  });
});
