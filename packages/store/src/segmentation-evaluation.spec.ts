import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

/** A segmentation evaluation as a trainer's eval event carries it (3 classes; scores are fractions). */
const SEGMENTATION = {
  numClasses: 3,
  ignoreIndex: 255,
  countedPixels: 7,
  ignoredPixels: 1,
  mIoU: 5 / 9,
  pixelAccuracy: 5 / 7,
  meanClassAccuracy: 7 / 9,
  perClassIoU: [2 / 3, 1 / 3, 2 / 3],
  perClassAccuracy: [1, 1 / 3, 1],
  labelPixels: [2, 3, 2],
  imageCounts: [10, 5, 1],
  frequencyGroups: {
    grouping: { by: 'rank-terciles' },
    head: 2 / 3,
    body: 1 / 3,
    tail: 2 / 3,
    classesEvaluated: { head: 1, body: 1, tail: 1 },
    classGroups: ['head', 'body', 'tail'],
  },
  confusion: [
    [2, 0, 0],
    [1, 1, 1],
    [0, 0, 2],
  ],
};

describe.each(['sqlite', 'postgresql'] as const)('segmentation evaluations on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTemporaryDatabase(provider, { label: 'segmentation' });
    drop = database.drop;
    store = await openRunStore({ target: database.target, migrate: true });
    await store.addRuns([
      {
        id: 'seg',
        sweepId: null,
        fingerprint: 'fp',
        config: { task: 'segmentation' },
        configHash: 'fp',
        label: '',
        ordinal: 0,
        sweptKeys: [],
      },
    ]);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('stores the segmentation block beside top-1 (the pixel accuracy) and returns it with the run', async () => {
    await store.recordEvaluation({
      runId: 'seg',
      split: 'test',
      epoch: 4,
      top1: 5 / 7,
      segmentation: SEGMENTATION,
      objective: 5 / 9,
    });
    await store.recordEvaluation({ runId: 'seg', split: 'test', epoch: 2, top1: 0.5 });
    const detail = await store.getRunDetail('seg');
    expect(detail?.evaluations).toEqual([
      { runId: 'seg', split: 'test', epoch: 2, top1: 0.5 },
      { runId: 'seg', split: 'test', epoch: 4, top1: 5 / 7, segmentation: SEGMENTATION },
    ]);
    expect(detail?.run.objective).toBe(5 / 9);
  });
});
