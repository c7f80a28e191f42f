import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventEnvelopeSchema } from '../queue/payloads.js';
import { applyEvent } from './apply-event.js';

/** A trainer's eval event as the recorder receives it (parsed from the queue). */
function evalEnvelope(runId: string, body: Record<string, unknown>) {
  return eventEnvelopeSchema.parse({
    id: `${runId}:1:3`,
    source: 'trainer',
    context: { node: 'node-a', slot: '0' },
    event: {
      runId,
      attempt: 1,
      seq: 3,
      epochBase: 1,
      epoch: 4,
      step: 160,
      time: Date.UTC(2026, 11, 7),
      type: 'eval',
      split: 'test',
      ...body,
    },
  });
}

/** 3 classes, 7 labelled pixels (docs/segmentation.md "Metrics"). */
const SEGMENTATION = {
  numClasses: 3,
  ignoreIndex: 255,
  countedPixels: 7,
  ignoredPixels: 1,
  mIoU: 0.5,
  pixelAccuracy: 0.75,
  meanClassAccuracy: 0.6,
  perClassIoU: [0.9, 0.6, 0],
  perClassAccuracy: [1, 0.8, 0],
  labelPixels: [3, 2, 2],
  imageCounts: [10, 5, 1],
  frequencyGroups: {
    grouping: { by: 'rank-terciles' },
    head: 0.9,
    body: 0.6,
    tail: 0,
    classesEvaluated: { head: 1, body: 1, tail: 1 },
    classGroups: ['head', 'body', 'tail'],
  },
  confusion: [
    [3, 0, 0],
    [0, 2, 0],
    [1, 1, 0],
  ],
};

describe.each(['sqlite', 'postgresql'] as const)('recording eval events on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTemporaryDatabase(provider, { label: 'apply_eval' });
    drop = database.drop;
    store = await openRunStore({ target: database.target, migrate: true });
    const run = (id: string) => ({
      id,
      sweepId: null,
      fingerprint: id,
      config: {},
      configHash: id,
      label: '',
      ordinal: 0,
      sweptKeys: [],
    });
    await store.addRuns([run('seg'), run('cls')]);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it("stores a segmentation evaluation's block and its scores, and takes the objective from them", async () => {
    const envelope = evalEnvelope('seg', {
      metrics: { top1: 0.75, top5: null, many: null, medium: null, few: null },
      perClassAccuracy: [],
      trainCounts: [],
      confusion: null,
      segmentation: SEGMENTATION,
    });
    await applyEvent(store, envelope, async () => ({ metric: 'test/tailIoU', mode: 'max' }));
    const detail = await store.getRunDetail('seg');
    expect(detail?.evaluations).toEqual([
      { runId: 'seg', split: 'test', epoch: 4, top1: 0.75, segmentation: SEGMENTATION },
    ]);
    expect(detail?.metrics.map((m) => [m.name, m.split, m.value]).sort()).toEqual([
      ['aAcc', 'test', 0.75],
      ['bodyIoU', 'test', 0.6],
      ['headIoU', 'test', 0.9],
      ['mAcc', 'test', 0.6],
      ['mIoU', 'test', 0.5],
      ['tailIoU', 'test', 0],
    ]);
    expect(detail?.run.objective).toBe(0);
  });

  it('records a classification evaluation as before', async () => {
    const envelope = evalEnvelope('cls', {
      metrics: { top1: 0.6, top5: 0.9, many: 0.7, medium: null, few: 0.2 },
      perClassAccuracy: [0.7, 0.2],
      trainCounts: [100, 5],
      confusion: [
        [7, 3],
        [8, 2],
      ],
    });
    await applyEvent(store, envelope, async () => ({ metric: 'test/few', mode: 'max' }));
    const detail = await store.getRunDetail('cls');
    expect(detail?.evaluations[0]).toMatchObject({
      top1: 0.6,
      top5: 0.9,
      many: 0.7,
      few: 0.2,
      perClass: { accuracy: [0.7, 0.2], trainCounts: [100, 5] },
    });
    expect(detail?.evaluations[0]).not.toHaveProperty('segmentation');
    expect(detail?.metrics.map((m) => m.name).sort()).toEqual(['few', 'many', 'top1', 'top5']);
    expect(detail?.run.objective).toBe(0.2);
  });
});
