import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from './database-url.js';
import { applyMigrations, migrationStatus, migrationsDirectory } from './migrations.js';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import type { RunInput, SweepInput } from './run-store.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

const sweep: SweepInput = {
  id: 'sw1',
  name: 'paco-temperature',
  spec: { grid: { 'method.options.temperature': [0.05, 0.2] } },
  specHash: 'h-sweep',
  objectiveMetric: 'val/top1',
  objectiveMode: 'max',
  priority: 5,
  maxConcurrency: null,
};

function run(index: number, temperature: number, loss = 'paco'): RunInput {
  return {
    id: `run${index}`,
    sweepId: 'sw1',
    fingerprint: `fp${index}`,
    config: { method: { loss, options: { temperature } }, seed: index, schedule: { milestones: [1, 2] } },
    configHash: `fp${index}`,
    label: `${loss} T=${temperature}`,
    ordinal: index,
    sweptKeys: ['method.options.temperature'],
  };
}

describe.each(['sqlite', 'postgresql'] as const)('PrismaRunStore on %s', (provider) => {
  let store: PrismaRunStore;
  let target: DatabaseTarget;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ target, drop } = await createTemporaryDatabase(provider, { label: 'store' }));
    store = await openRunStore({ target, migrate: true });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('applies the committed migrations once, with Prisma-compatible checksums', async () => {
    expect(await applyMigrations(target)).toEqual([]);
    expect(await migrationStatus(target)).toEqual({ pending: [], failed: [], edited: [] });
    const rows = await store.client.$queryRawUnsafe<Array<{ migration_name: string; checksum: string }>>(
      'SELECT migration_name, checksum FROM _prisma_migrations',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const sql = readFileSync(join(migrationsDirectory(provider), row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    }
  });

  it('adds sweeps and runs idempotently and filters runs by hyperparameter', async () => {
    await store.saveSweep(sweep);
    await store.saveSweep({ ...sweep, priority: 7 });
    expect((await store.getSweep('sw1'))?.priority).toBe(7);
    const runs = [run(0, 0.05), run(1, 0.2), run(2, 0.2, 'ce')];
    expect(await store.addRuns(runs)).toEqual({ created: ['run0', 'run1', 'run2'], existing: [] });
    expect(await store.addRuns(runs)).toEqual({ created: [], existing: ['run0', 'run1', 'run2'] });

    // Runs filter by hyperparameter through the runs table's one filter model (run-table-sql.ts).
    const hot = await store.queryRunTable({
      sweepId: 'sw1',
      filters: [{ column: 'hp:method.options.temperature', min: 0.1 }],
      limit: 10,
    });
    expect(hot.total).toBe(2);
    expect(hot.rows.map((row) => row.run.id)).toEqual(['run1', 'run2']);
    const paco = await store.queryRunTable({
      filters: [
        { column: 'hp:method.loss', equals: 'paco' },
        { column: 'hp:method.options.temperature', equals: 0.2 },
      ],
      columns: ['hp:method.loss'],
      limit: 10,
    });
    expect(paco.rows.map((row) => [row.run.id, row.values['hp:method.loss']])).toEqual([['run1', 'paco']]);
    const page = await store.listRuns({ limit: 2, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.runs.map((r) => r.id)).toEqual(['run1', 'run2']);
    expect((await store.countRunsByStatus('sw1')).queued).toBe(3);
  });

  it('moves runs through their lifecycle and ignores stale attempts', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(await store.markRunStarted({ runId: 'run0', attempt: 1, node: 'n1', slot: '0', backend: 'wasm', at })).toBe(
      true,
    );
    expect(await store.markRunStarted({ runId: 'run0', attempt: 0, node: 'old', slot: '9', at })).toBe(false);
    expect(
      await store.markRunProgress({ runId: 'run0', attempt: 1, at: new Date(at.getTime() + 1000), epoch: 2 }),
    ).toBe(true);
    expect(await store.getRun('run0')).toMatchObject({ status: 'running', node: 'n1', attempt: 1, lastEpoch: 2 });

    // The reaper finds it once heartbeats stop; a retry starts attempt 2.
    expect((await store.findStaleRuns(new Date(at.getTime() + 60_000))).map((r) => r.id)).toEqual(['run0']);
    const lost = { code: 'TRAIN.INTERRUPTED', message: 'no heartbeat from n1/0' };
    expect(await store.markRunRequeued({ runId: 'run0', attempt: 0, at, reason: lost })).toBe(false);
    expect(await store.markRunRequeued({ runId: 'run0', attempt: 1, at, reason: lost })).toBe(true);
    // Queued again, the run says why its last attempt ended until the next one starts.
    expect(await store.getRun('run0')).toMatchObject({
      status: 'queued',
      errorCode: 'TRAIN.INTERRUPTED',
      errorMessage: 'attempt 1 requeued: no heartbeat from n1/0',
    });
    expect(await store.markRunStarted({ runId: 'run0', attempt: 2, node: 'n2', slot: '1', at })).toBe(true);
    // A late failure report from the lost attempt 1 must not end attempt 2.
    expect(await store.markRunFinished({ runId: 'run0', attempt: 1, status: 'failed', errorCode: 'X', at })).toBe(
      false,
    );
    expect(await store.getRun('run0')).toMatchObject({ status: 'running', attempt: 2, node: 'n2', errorCode: null });
    expect(
      await store.markRunFinished({ runId: 'run0', attempt: 2, status: 'failed', errorCode: 'TRAIN.NAN_LOSS', at }),
    ).toBe(true);
    expect(await store.getRun('run0')).toMatchObject({ status: 'failed', errorCode: 'TRAIN.NAN_LOSS' });
  });

  it('never lets a late event change a final run', async () => {
    const at = new Date();
    await store.markRunStarted({ runId: 'run1', attempt: 1, node: 'n1', slot: '0', at });
    expect(await store.markRunFinished({ runId: 'run1', attempt: 1, status: 'succeeded', at })).toBe(true);
    expect(await store.markRunFinished({ runId: 'run1', attempt: 1, status: 'failed', at })).toBe(false);
    expect(await store.markRunStarted({ runId: 'run1', attempt: 2, node: 'n1', slot: '0', at })).toBe(false);
    expect(await store.requeueRuns(['run1'])).toBe(0);
    expect(await store.cancelRuns(['run2'], at)).toBe(1);
    expect(await store.markRunStarted({ runId: 'run2', attempt: 1, node: 'n1', slot: '0', at })).toBe(false);
    expect((await store.getRun('run2'))?.status).toBe('cancelled');
  });

  it('records metrics, evaluations and artifacts without duplicates', async () => {
    const wallTime = new Date();
    const points = [0, 1, 2].map((step) => ({
      runId: 'run1',
      name: 'loss',
      split: 'train',
      step,
      epoch: step / 2,
      value: 1 / (step + 1),
      attempt: 1,
      wallTime,
    }));
    await store.recordMetrics(points);
    await store.recordMetrics([
      ...points.slice(1),
      { ...points[2], value: 0.25, attempt: 2 } as (typeof points)[number],
    ]);
    await store.recordEvaluation({
      runId: 'run1',
      split: 'val',
      epoch: 3,
      top1: 0.61,
      top5: 0.9,
      many: 0.7,
      medium: 0.5,
      few: 0.2,
      objective: 0.61,
    });
    await store.recordEvaluation({ runId: 'run1', split: 'val', epoch: 3, top1: 0.62, objective: 0.62 });
    await store.recordArtifact({
      runId: 'run1',
      path: 'run1/ckpt-3.json',
      kind: 'checkpoint',
      epoch: 3,
      sizeBytes: 10,
    });
    await store.recordArtifact({
      runId: 'run1',
      path: 'run1/ckpt-3.json',
      kind: 'checkpoint',
      epoch: 3,
      sizeBytes: 12,
    });
    const detail = await store.getRunDetail('run1');
    expect(detail?.metrics.map((m) => [m.step, m.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 0.25],
    ]);
    expect(detail?.evaluations).toEqual([
      { runId: 'run1', split: 'val', epoch: 3, top1: 0.62, top5: 0.9, many: 0.7, medium: 0.5, few: 0.2 },
    ]);
    expect(detail?.artifacts).toEqual([
      { runId: 'run1', path: 'run1/ckpt-3.json', kind: 'checkpoint', epoch: 3, sizeBytes: 12 },
    ]);
    expect(detail?.run.objective).toBe(0.62);
    expect(detail?.hyperparameters).toContainEqual({ key: 'schedule.milestones', value: [1, 2], swept: false });
    expect(detail?.hyperparameters).toContainEqual({ key: 'method.options.temperature', value: 0.2, swept: true });
  });

  it('keeps one row per worker with its latest heartbeat', async () => {
    const first = new Date('2026-01-01T00:00:00Z');
    const later = new Date('2026-01-01T00:00:05Z');
    const beat = { id: 'n1:0', node: 'n1', slot: '0', backend: 'wasm', status: 'busy' as const, currentRunId: 'run1' };
    await store.heartbeatWorker({ ...beat, at: first });
    await store.heartbeatWorker({ ...beat, status: 'idle', currentRunId: null, at: later });
    const workers = await store.listWorkers();
    expect(workers).toHaveLength(1);
    expect(workers[0]).toMatchObject({ id: 'n1:0', status: 'idle', startedAt: first, heartbeatAt: later });
    await store.removeWorker('n1:0');
    expect(await store.listWorkers()).toEqual([]);
  });

  it("keeps a worker's data-set report until a heartbeat brings a new one (issue #23)", async () => {
    const beat = { id: 'n2:0', node: 'n2', slot: '0', status: 'idle' as const, currentRunId: null };
    const sources = [
      { source: 'fashion-mnist', path: '/d/f', via: 'default', present: true, missing: null, origin: 'well-known' },
      { source: 'cifar100', path: null, via: 'LTLAB_CIFAR100_DIR', present: false, missing: null, origin: 'run r1' },
    ];
    await store.heartbeatWorker({ ...beat, dataSources: sources, at: new Date('2026-01-01T00:00:00Z') });
    // A beat without the list (an older worker) leaves it as it was.
    await store.heartbeatWorker({ ...beat, at: new Date('2026-01-01T00:00:05Z') });
    expect((await store.listWorkers())[0]?.dataSources).toEqual(sources);
    await store.heartbeatWorker({ ...beat, dataSources: [], at: new Date('2026-01-01T00:00:10Z') });
    expect((await store.listWorkers())[0]?.dataSources).toEqual([]);
    await store.removeWorker('n2:0');
  });
});

describe('openRunStore errors', () => {
  it('reports an unreachable PostgreSQL as STORE.UNAVAILABLE', async () => {
    await expect(
      openRunStore({ target: { provider: 'postgresql', url: 'postgresql://root@127.0.0.1:1/none' } }),
    ).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE', retryable: true });
  });

  it('refuses a PostgreSQL database with pending migrations instead of migrating it silently', async () => {
    const { target, drop } = await createTemporaryDatabase('postgresql');
    try {
      await expect(openRunStore({ target })).rejects.toMatchObject({ code: 'CONFIG.INVALID' });
    } finally {
      await drop();
    }
  });
});
