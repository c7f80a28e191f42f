import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointsOnDisk, describeSelection } from './checkpoint-view.js';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import type { ArtifactRecord } from './run-store.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

const selection = { metric: 'top1', split: 'val', mode: 'max' as const, value: 0.71 };
const ckpt = (epoch: number, removed = false): ArtifactRecord => ({
  runId: 'r',
  path: `r/checkpoints/epoch-${String(epoch).padStart(5, '0')}.ckpt`,
  kind: 'checkpoint',
  epoch,
  sizeBytes: 100 + epoch,
  ...(removed ? { removedAt: new Date('2026-12-06T10:00:00Z') } : {}),
});

describe('checkpointsOnDisk', () => {
  it('lists the epoch files keepLast kept, then best.ckpt with its selection', () => {
    const view = checkpointsOnDisk([
      ckpt(8),
      ckpt(5, true),
      ckpt(7),
      ckpt(6, true),
      { runId: 'r', path: 'r/checkpoints/best.ckpt', kind: 'best-checkpoint', epoch: 6, selection },
      { runId: 'r', path: 'r/console.log', kind: 'log' },
    ]);
    expect(view.files.map((f) => [f.file, f.epoch])).toEqual([
      ['epoch', 7],
      ['epoch', 8],
      ['best', 6],
    ]);
    expect(view.best).toMatchObject({ path: 'r/checkpoints/best.ckpt', epoch: 6, basis: 'best by top1 on validation' });
  });

  it('says what best was chosen by, and when it cannot', () => {
    expect(describeSelection({ metric: 'few', split: 'test', mode: 'max', value: 0.4 })).toBe('best by few on test');
    expect(describeSelection({ metric: 'top1', split: 'val', mode: 'min', value: 0.4 })).toBe(
      'best by top1 (lowest) on validation',
    );
    expect(describeSelection(null)).toBe('best (selection not recorded)');
    expect(checkpointsOnDisk([ckpt(1)]).best).toBeNull();
  });
});

describe.each(['sqlite', 'postgresql'] as const)('checkpoint records on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTemporaryDatabase(provider, { label: 'checkpoints', migrate: true });
    drop = db.drop;
    store = await openRunStore({ target: db.target });
    await store.addRuns([
      { id: 'r', sweepId: null, fingerprint: 'f', config: {}, configHash: 'f', label: '', ordinal: 0, sweptKeys: [] },
    ]);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('marks pruned files removed, keeps the selection of best.ckpt, and a file written again is back', async () => {
    for (const epoch of [1, 2, 3]) await store.recordArtifact(ckpt(epoch));
    await store.recordArtifact({ ...ckpt(2), path: 'r/checkpoints/best.ckpt', kind: 'best-checkpoint', selection });
    const at = new Date('2026-12-06T12:00:00Z');
    expect(await store.markArtifactsRemoved('r', [ckpt(1).path, 'r/checkpoints/never-recorded.ckpt'], at)).toBe(1);
    expect(await store.markArtifactsRemoved('r', [ckpt(1).path], at)).toBe(0);
    let detail = await store.getRunDetail('r');
    expect(detail?.artifacts.find((a) => a.path === ckpt(1).path)?.removedAt).toEqual(at);
    const view = checkpointsOnDisk(detail?.artifacts ?? []);
    expect(view.files.map((f) => f.path)).toEqual([ckpt(2).path, ckpt(3).path, 'r/checkpoints/best.ckpt']);
    expect(view.best?.selection).toEqual(selection);

    // A resumed attempt that redoes epoch 1 writes its file again.
    await store.recordArtifact(ckpt(1));
    detail = await store.getRunDetail('r');
    expect(checkpointsOnDisk(detail?.artifacts ?? []).files.map((f) => f.epoch)).toEqual([1, 2, 3, 2]);
  });
});
