import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointsOnDisk } from './checkpoint-view.js';
import { migrationsDirectory } from './migrations.js';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import type { JsonObject } from './run-store.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

function migrationStatements(provider: 'sqlite' | 'postgresql'): string[] {
  const dir = migrationsDirectory(provider);
  const name = readdirSync(dir).find((entry) => entry.endsWith('_one_based_epochs'));
  if (name === undefined) throw new Error(`no one_based_epochs migration for ${provider}`);
  // As the migration runner does: one statement per `;`.
  return readFileSync(join(dir, name, 'migration.sql'), 'utf8')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.replace(/--.*$/gm, '').trim() !== '');
}

const config = (keepLast: number, keepBest: boolean): JsonObject => ({
  epochs: 8,
  checkpoint: { everyEpochs: 1, keepLast, keepBest },
});

/**
 * Rows as the 0-based trainers left them: an 8-epoch run recorded epochs 0..7, its checkpoint
 * events epoch-00001..8 as epochs 0..7 (all listed although keepLast deleted most), the best ones
 * as `best-checkpoint`, and never best.ckpt.
 */
async function seedOldRun(store: PrismaRunStore, id: string, keepLast: number, keepBest: boolean) {
  await store.addRuns([
    {
      id,
      sweepId: null,
      fingerprint: id,
      config: config(keepLast, keepBest),
      configHash: id,
      label: id,
      ordinal: 0,
      sweptKeys: [],
    },
  ]);
  const at = new Date('2026-11-30T10:00:00Z');
  await store.markRunStarted({ runId: id, attempt: 1, node: 'n', slot: '0', at });
  const top1 = [0.3, 0.5, 0.45, 0.6, 0.55, 0.58, 0.59, 0.57];
  for (let epoch = 0; epoch < 8; epoch++) {
    await store.recordMetrics([
      {
        runId: id,
        name: 'loss',
        split: 'train',
        step: epoch * 10,
        epoch,
        value: 1 - epoch / 10,
        attempt: 1,
        wallTime: at,
      },
    ]);
    await store.recordEvaluation({ runId: id, split: 'test', epoch, top1: top1[epoch] as number });
    const best = (top1[epoch] as number) >= Math.max(...top1.slice(0, epoch + 1));
    await store.recordArtifact({
      runId: id,
      path: `${id}/checkpoints/epoch-${String(epoch + 1).padStart(5, '0')}.ckpt`,
      kind: best ? 'best-checkpoint' : 'checkpoint',
      epoch,
      sizeBytes: 1000 + epoch,
      sha256: `sha-${epoch}`,
    });
    await store.markRunProgress({ runId: id, attempt: 1, at, epoch });
  }
  // A resumed attempt: it picked up after 3 completed epochs.
  await store.recordMetrics([
    { runId: id, name: 'resumed_at_epoch', split: 'train', step: 30, epoch: 3, value: 3, attempt: 2, wallTime: at },
  ]);
  await store.markRunFinished({ runId: id, attempt: 1, status: 'succeeded', at });
}

describe.each(['sqlite', 'postgresql'] as const)('the one_based_epochs migration on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTemporaryDatabase(provider, { label: 'one_based', migrate: true });
    drop = db.drop;
    store = await openRunStore({ target: db.target });
    await seedOldRun(store, 'old-a', 2, true);
    await seedOldRun(store, 'old-b', 3, false);
    // The migration already ran on the empty database; run its statements again on the old rows.
    for (const statement of migrationStatements(provider)) await store.client.$executeRawUnsafe(statement);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('renumbers epochs from 1: an 8-epoch run ends at epoch 8 in every table', async () => {
    const detail = await store.getRunDetail('old-a');
    expect(detail?.run.lastEpoch).toBe(8);
    expect(detail?.evaluations.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(detail?.metrics.filter((m) => m.name === 'loss').map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Already a count of completed epochs: unchanged.
    expect(detail?.metrics.find((m) => m.name === 'resumed_at_epoch')).toMatchObject({ epoch: 3, value: 3 });
    // Epoch files now carry the number in their name.
    for (const artifact of detail?.artifacts ?? []) {
      if (artifact.path.includes('epoch-')) expect(artifact.path).toContain(`epoch-0000${artifact.epoch}.ckpt`);
    }
  });

  it('lists only the files keepLast kept, plus best.ckpt chosen by top-1 on the test set', async () => {
    const a = checkpointsOnDisk((await store.getRunDetail('old-a'))?.artifacts ?? []);
    expect(a.files.map((f) => [f.file, f.epoch])).toEqual([
      ['epoch', 7],
      ['epoch', 8],
      ['best', 4],
    ]);
    expect(a.best).toMatchObject({
      path: 'old-a/checkpoints/best.ckpt',
      epoch: 4,
      sha256: 'sha-3',
      selection: { metric: 'top1', split: 'test', mode: 'max', value: 0.6 },
      basis: 'best by top1 on test',
    });
    // keepLast 3 and keepBest off: three files and no best.
    const b = checkpointsOnDisk((await store.getRunDetail('old-b'))?.artifacts ?? []);
    expect(b.files.map((f) => f.epoch)).toEqual([6, 7, 8]);
    expect(b.best).toBeNull();
  });
});
