import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import type { RunInput } from './run-store.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

const LOSSES = ['ce', 'paco'];
const TEMPS = [0.1, 0.2];
const SEEDS = [1, 2, 3];

/** loss x temperature x seed; val top1 = 0.5 + 0.1 * (paco) + temperature + seed / 100. */
function runs(): RunInput[] {
  const out: RunInput[] = [];
  for (const loss of LOSSES)
    for (const temperature of TEMPS)
      for (const seed of SEEDS) {
        const ordinal = out.length;
        out.push({
          id: `r${ordinal}`,
          sweepId: 'sw',
          fingerprint: `f${ordinal}`,
          config: { loss: { name: loss, temperature }, seed, amp: seed === 1 },
          configHash: `f${ordinal}`,
          label: `${loss} T=${temperature} s=${seed}`,
          ordinal,
          sweptKeys: ['loss.name', 'loss.temperature', 'seed'],
        });
      }
  return out;
}

function top1(run: RunInput): number {
  const cfg = run.config as { loss: { name: string; temperature: number }; seed: number };
  return 0.5 + (cfg.loss.name === 'paco' ? 0.1 : 0) + cfg.loss.temperature + cfg.seed / 100;
}

describe.each(['sqlite', 'postgresql'] as const)('runs table queries on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;
  const seeded = runs();

  beforeAll(async () => {
    const db = await createTemporaryDatabase(provider, { label: 'table' });
    drop = db.drop;
    store = await openRunStore({ target: db.target, migrate: true });
    await store.saveSweep({
      id: 'sw',
      name: 'grid',
      spec: {},
      specHash: 'h',
      objectiveMetric: 'val/top1',
      objectiveMode: 'max',
      priority: 0,
      maxConcurrency: null,
    });
    await store.addRuns(seeded);
    for (const run of seeded) {
      const at = new Date('2026-01-01T00:00:00Z');
      await store.recordMetrics(
        [0, 1, 2].map((step) => ({
          runId: run.id,
          name: 'loss',
          split: 'train',
          step,
          epoch: step,
          value: 3 - step - top1(run),
          attempt: 1,
          wallTime: at,
        })),
      );
      await store.recordEvaluation({ runId: run.id, split: 'val', epoch: 0, top1: 0.1, few: 0 });
      await store.recordEvaluation({
        runId: run.id,
        split: 'val',
        epoch: 2,
        top1: top1(run),
        few: top1(run) / 2,
        objective: top1(run),
      });
    }
    await store.cancelRuns(['r0'], new Date());
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('filters by hyperparameter and sorts by the last evaluation, missing values last', async () => {
    const page = await store.queryRunTable({
      sweepId: 'sw',
      filters: [
        { column: 'hp:loss.name', equals: 'paco' },
        { column: 'hp:loss.temperature', min: 0.15 },
      ],
      sort: { column: 'eval:val:top1', direction: 'desc' },
      columns: ['hp:loss.temperature', 'hp:seed', 'hp:amp', 'eval:val:few', 'metric:train:loss', 'run:status'],
      limit: 2,
    });
    expect(page.total).toBe(3);
    expect(page.rows.map((row) => row.run.id)).toEqual(['r11', 'r10']);
    const first = page.rows[0]?.values ?? {};
    expect(first['hp:loss.temperature']).toBe(0.2);
    expect(first['hp:seed']).toBe(3);
    expect(first['hp:amp']).toBe(false);
    expect(first['eval:val:few']).toBeCloseTo((0.6 + 0.2 + 0.03) / 2, 9);
    expect(first['metric:train:loss']).toBeCloseTo(3 - 2 - 0.83, 9);
    expect(first['run:status']).toBe('queued');
  });

  it('pages with offset and counts the whole match', async () => {
    const second = await store.queryRunTable({ sort: { column: 'hp:seed', direction: 'asc' }, limit: 5, offset: 5 });
    expect(second.total).toBe(12);
    expect(second.rows.map((row) => row.run.id)).toEqual(['r4', 'r7', 'r10', 'r2', 'r5']);
    const byLabel = await store.queryRunTable({
      filters: [
        { column: 'run:label', contains: 'PACO T=0.1' },
        { column: 'run:status', in: ['queued'] },
      ],
      limit: 10,
    });
    expect(byLabel.rows.map((row) => row.run.id)).toEqual(['r6', 'r7', 'r8']);
    const chosen = await store.queryRunTable({ ids: ['r3', 'r0'], limit: 10 });
    expect(chosen.rows.map((row) => row.run.id)).toEqual(['r0', 'r3']);
    const cancelled = await store.queryRunTable({ status: ['cancelled'], limit: 10 });
    expect(cancelled.rows.map((row) => row.run.id)).toEqual(['r0']);
  });

  it('groups by hyperparameters with mean, sample std and n over seeds', async () => {
    const groups = await store.groupRuns({
      sweepId: 'sw',
      groupBy: ['loss.name', 'loss.temperature'],
      metrics: ['eval:val:top1', 'run:objective'],
    });
    expect(groups).toHaveLength(4);
    const paco02 = groups.find((g) => g.key['loss.name'] === 'paco' && g.key['loss.temperature'] === 0.2);
    expect(paco02?.n).toBe(3);
    const stats = paco02?.stats['eval:val:top1'];
    expect(stats?.mean).toBeCloseTo(0.82, 9);
    expect(stats?.std).toBeCloseTo(0.01, 6);
    expect(stats?.n).toBe(3);
    const filtered = await store.groupRuns({
      groupBy: ['seed'],
      metrics: ['hp:loss.temperature'],
      filters: [{ column: 'hp:amp', equals: true }],
    });
    expect(filtered).toEqual([
      { key: { seed: 1 }, n: 4, stats: { 'hp:loss.temperature': expect.objectContaining({ n: 4 }) } },
    ]);
    expect(filtered[0]?.stats['hp:loss.temperature']?.mean).toBeCloseTo(0.15, 9);
  });

  it('lists the columns a sweep can show, and a change stamp that moves on writes', async () => {
    const columns = await store.listColumns('sw');
    expect(columns.hyperparameters).toContainEqual({ key: 'loss.temperature', swept: true, numeric: true });
    expect(columns.hyperparameters).toContainEqual({ key: 'amp', swept: false, numeric: false });
    expect(columns.metrics).toEqual([{ split: 'train', name: 'loss' }]);
    expect(columns.evaluationSplits).toEqual(['val']);
    const before = await store.changeStamp();
    await store.cancelRuns(['r1'], new Date());
    expect(await store.changeStamp()).not.toBe(before);
  });

  it('rejects unknown columns and text filters on numeric columns', async () => {
    await expect(store.queryRunTable({ sort: { column: 'run:nope', direction: 'asc' }, limit: 1 })).rejects.toThrow(
      /Unknown column 'run:nope'/,
    );
    await expect(
      store.queryRunTable({ filters: [{ column: 'eval:val:top1', equals: 'high' }], limit: 1 }),
    ).rejects.toThrow(/numeric/);
  });
});
