import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDirectory } from './migrations.js';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import { sweepRungTable } from './sweep-rung-table.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

function migrationStatements(provider: 'sqlite' | 'postgresql'): string[] {
  const dir = migrationsDirectory(provider);
  const name = readdirSync(dir).find((entry) => entry.endsWith('_stopped_status'));
  if (name === undefined) throw new Error(`no stopped_status migration for ${provider}`);
  // As the migration runner does: one statement per `;`.
  return readFileSync(join(dir, name, 'migration.sql'), 'utf8')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.replace(/--.*$/gm, '').trim() !== '');
}

describe.each(['sqlite', 'postgresql'] as const)('the stopped status on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;
  const at = new Date('2026-12-01T10:00:00Z');

  beforeAll(async () => {
    const db = await createTemporaryDatabase(provider, { label: 'stopped', migrate: true });
    drop = db.drop;
    store = await openRunStore({ target: db.target });
    await store.saveSweep({
      id: 'sw',
      name: 'sw',
      spec: { earlyStopping: { rule: 'asha', gracePeriod: 1, reductionFactor: 2 } },
      specHash: 'h',
      objectiveMetric: 'val/top1',
      objectiveMode: 'max',
      priority: 50,
      maxConcurrency: null,
    });
    await store.addRuns(
      ['early', 'user', 'done'].map((id, ordinal) => ({
        id,
        sweepId: 'sw',
        fingerprint: id,
        config: {},
        configHash: id,
        label: id,
        ordinal,
        sweptKeys: [],
      })),
    );
    for (const id of ['early', 'user', 'done'])
      await store.markRunStarted({ runId: id, attempt: 1, node: 'n', slot: '0', at });
    // How the recorder stored an early stop before the stopped status existed.
    const message = 'ASHA rung at epoch 1: 0.1000 is not in the top 1/2';
    await store.markRunFinished({
      runId: 'early',
      attempt: 1,
      status: 'cancelled',
      errorCode: 'RUN.EARLY_STOPPED',
      errorMessage: message,
      at,
    });
    await store.markRunFinished({ runId: 'user', attempt: 1, status: 'cancelled', errorCode: 'RUN.CANCELLED', at });
    await store.markRunFinished({ runId: 'done', attempt: 1, status: 'succeeded', at });
    for (const statement of migrationStatements(provider)) await store.client.$executeRawUnsafe(statement);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('turns old early stops into stopped runs, keeping their reason, and leaves user cancels alone', async () => {
    expect(await store.getRun('early')).toMatchObject({
      status: 'stopped',
      errorCode: 'RUN.EARLY_STOPPED',
      errorMessage: 'ASHA rung at epoch 1: 0.1000 is not in the top 1/2',
    });
    expect(await store.getRun('user')).toMatchObject({ status: 'cancelled', errorCode: 'RUN.CANCELLED' });
    expect(await store.countRunsByStatus('sw')).toMatchObject({ stopped: 1, cancelled: 1, succeeded: 1 });
  });

  it('keeps a stopped run stopped: no late event, requeue or cancel changes it', async () => {
    expect(await store.markRunStarted({ runId: 'early', attempt: 2, node: 'n', slot: '0', at })).toBe(false);
    expect(await store.markRunFinished({ runId: 'early', attempt: 1, status: 'failed', at })).toBe(false);
    expect(await store.requeueRuns(['early'])).toBe(0);
    expect(await store.cancelRuns(['early'], at)).toBe(0);
    expect((await store.getRun('early'))?.status).toBe('stopped');
    expect((await store.listRuns({ sweepId: 'sw', status: ['stopped'] })).runs.map((run) => run.id)).toEqual(['early']);
  });

  it("lists a sweep's objective points in report order and builds its rung table from them", async () => {
    const point = (runId: string, step: number, value: number, seconds: number) => ({
      runId,
      name: 'top1',
      split: 'val',
      step,
      epoch: 1,
      value,
      attempt: 1,
      wallTime: new Date(at.getTime() + seconds * 1000),
    });
    await store.recordMetrics([point('done', 10, 0.9, 1), point('early', 10, 0.1, 2)]);
    // Another metric and another split are not the objective.
    await store.recordMetrics([
      { ...point('user', 10, 0.99, 0), name: 'top5' },
      { ...point('user', 11, 0.99, 0), split: 'test' },
    ]);
    const points = await store.listObjectivePoints('sw', 'val', 'top1');
    expect(points.map((p) => [p.runId, p.value])).toEqual([
      ['done', 0.9],
      ['early', 0.1],
    ]);
    const sweep = await store.getSweep('sw');
    if (sweep === null) throw new Error('no sweep');
    expect(await sweepRungTable(store, sweep)).toMatchObject({
      rule: 'asha',
      rungs: [{ epoch: 1, reached: 2, cutoff: 0.9, promoted: 1, stopped: ['early'] }],
    });
    expect(await sweepRungTable(store, { ...sweep, spec: {} })).toBeNull();
  });
});
