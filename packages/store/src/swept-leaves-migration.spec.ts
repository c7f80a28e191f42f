import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from './database-url.js';
import { migrationsDirectory } from './migrations.js';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import type { JsonObject, RunInput } from './run-store.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

const methods: JsonObject[] = [
  { loss: 'cross-entropy', options: {}, projection: { dim: 128 } },
  { loss: 'ldam', options: { maxM: 0.5, s: 1 }, projection: { dim: 128 }, drw: { startEpoch: 6 } },
  { loss: 'reslt', options: { beta: 0.99, tailRange: [8, 10] }, projection: { dim: 128 } },
];

/** Rows as the producer wrote them before leaf paths: a variants sweep marked `method`. */
function oldRun(sweepId: string, index: number, method: JsonObject, sweptKeys: string[]): RunInput {
  return {
    id: `${sweepId}-${index}`,
    sweepId,
    fingerprint: `fp-${sweepId}-${index}`,
    config: { method, optimizer: { lr: 0.1 }, seed: 1 },
    configHash: `fp-${sweepId}-${index}`,
    label: String(method.loss),
    ordinal: index,
    sweptKeys,
  };
}

function migrationSql(provider: 'sqlite' | 'postgresql'): string {
  const dir = migrationsDirectory(provider);
  const name = readdirSync(dir).find((entry) => entry.endsWith('_swept_leaves'));
  if (name === undefined) throw new Error(`no swept_leaves migration for ${provider}`);
  return readFileSync(join(dir, name, 'migration.sql'), 'utf8');
}

describe.each(['sqlite', 'postgresql'] as const)('the swept_leaves migration on %s', (provider) => {
  let store: PrismaRunStore;
  let target: DatabaseTarget;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ target, drop } = await createTemporaryDatabase(provider, { label: 'swept_leaves', migrate: true }));
    store = await openRunStore({ target });
    for (const id of ['variants', 'grid']) {
      await store.saveSweep({
        id,
        name: id,
        spec: {},
        specHash: id,
        objectiveMetric: 'test/top1',
        objectiveMode: 'max',
        priority: 0,
        maxConcurrency: null,
      });
    }
    await store.addRuns([
      ...methods.map((method, index) => oldRun('variants', index, method, ['method'])),
      // A grid sweep already recorded leaves, and one run alone in a sweep varies nothing.
      oldRun('grid', 0, methods[0] ?? {}, ['optimizer.lr']),
    ]);
    // The migration already ran on the empty database; run its statement again on the old rows.
    await store.client.$executeRawUnsafe(migrationSql(provider));
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  const sweptOf = async (runId: string) =>
    (await store.getRunDetail(runId))?.hyperparameters.filter((p) => p.swept).map((p) => p.key);

  it('marks every leaf that differs between the runs of a sweep, absent leaves included', async () => {
    const swept = [
      'method.drw.startEpoch',
      'method.loss',
      'method.options.beta',
      'method.options.maxM',
      'method.options.s',
      'method.options.tailRange',
    ];
    // Each run has only its own leaves; together they are the sweep's swept leaves.
    expect(await sweptOf('variants-0')).toEqual(['method.loss']);
    expect(await sweptOf('variants-1')).toEqual([
      'method.drw.startEpoch',
      'method.loss',
      'method.options.maxM',
      'method.options.s',
    ]);
    expect(await sweptOf('variants-2')).toEqual(['method.loss', 'method.options.beta', 'method.options.tailRange']);
    const columns = await store.listColumns('variants');
    expect(columns.hyperparameters.filter((p) => p.swept).map((p) => p.key)).toEqual(swept);
  });

  it('leaves keys that are the same in every run unmarked and keeps earlier marks', async () => {
    const detail = await store.getRunDetail('variants-1');
    expect(detail?.hyperparameters.find((p) => p.key === 'method.projection.dim')?.swept).toBe(false);
    expect(detail?.hyperparameters.find((p) => p.key === 'optimizer.lr')?.swept).toBe(false);
    expect(await sweptOf('grid-0')).toEqual(['optimizer.lr']);
  });
});
