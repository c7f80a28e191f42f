import type { TrainerEvent } from '@ltlab/config';
import { checkpointsOnDisk } from '@ltlab/store';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../src/queue/payloads.js';
import { openEventsQueue, publishEvent } from '../src/queue/run-queue.js';
import { Recorder } from '../src/recorder/recorder.js';
import { createTestBed, type TestBed, tinyBase, waitFor } from './helpers.js';

const runId = 'rec-run-1';
/** A run whose trainer predates 1-based epochs. */
const oldRunId = 'rec-run-old';

/** An event as today's trainers send it: epochs from 1, saying so. */
function trainer(
  seq: number,
  event: Partial<TrainerEvent> & { type: TrainerEvent['type'] },
  id = runId,
): EventEnvelope {
  const full = {
    runId: id,
    attempt: 1,
    seq,
    epoch: 1,
    epochBase: 1,
    step: seq * 10,
    time: Date.UTC(2026, 0, 1, 0, 0, seq),
    ...event,
  } as TrainerEvent;
  return { id: `${id}:1:${seq}`, source: 'trainer', event: full, context: { node: 'node-a', slot: '1' } };
}

/** An event of a 0-based trainer, as it still sits in the queue after an upgrade: no `epochBase`. */
function oldTrainer(seq: number, event: Record<string, unknown> & { type: string; epoch: number }): EventEnvelope {
  const { epochBase: _dropped, ...old } = trainer(seq, event as Partial<TrainerEvent> & { type: 'epoch' }, oldRunId)
    .event as TrainerEvent;
  return { id: `${oldRunId}:1:${seq}`, source: 'trainer', event: old as TrainerEvent };
}

const shots = (top1: number) => ({ top1, top5: 0.99, many: top1 + 0.1, medium: top1, few: top1 - 0.2 });

describe.each(['sqlite', 'postgresql'] as const)('Recorder on %s', (provider) => {
  let bed: TestBed;
  let events: Queue<EventEnvelope>;
  beforeAll(async () => {
    bed = await createTestBed('recorder', provider);
    events = openEventsQueue(bed.settings, bed.redis);
    await bed.store.saveSweep({
      id: 'sw',
      name: 'sw',
      spec: {},
      specHash: 'h',
      objectiveMetric: 'test/few',
      objectiveMode: 'max',
      priority: 50,
      maxConcurrency: null,
    });
    await bed.store.addRuns(
      [runId, oldRunId].map((id, ordinal) => ({
        id,
        sweepId: 'sw',
        fingerprint: id,
        config: tinyBase,
        configHash: id,
        label: '',
        ordinal,
        sweptKeys: [],
      })),
    );
  });
  afterAll(async () => {
    await events.close();
    await bed.cleanup();
  });

  it('stores events published while it was down, once each, and loses none across a restart', async () => {
    // Recorder not running yet: events wait in Redis.
    await publishEvent(
      events,
      trainer(0, {
        type: 'started',
        backend: 'wasm',
        device: null,
        totalEpochs: 2,
        stepsPerEpoch: 10,
        resumedFrom: null,
      }),
    );
    await publishEvent(
      events,
      trainer(1, { type: 'epoch', stage: 'main', trainLoss: 1.5, lr: 0.1, imagesPerSecond: 300, seconds: 4 }),
    );
    await publishEvent(
      events,
      trainer(1, { type: 'epoch', stage: 'main', trainLoss: 9, lr: 9, imagesPerSecond: 9, seconds: 9 }),
    ); // same id: ignored
    await publishEvent(
      events,
      trainer(2, {
        type: 'eval',
        split: 'test',
        metrics: shots(0.5),
        perClassAccuracy: [0.9, 0.1],
        trainCounts: [100, 1],
        confusion: null,
      }),
    );

    let recorder = Recorder.start({ settings: bed.settings, store: bed.store });
    await waitFor(async () => (await bed.store.getRun(runId))?.objective === 0.3, 20_000, 'first events');
    await recorder.close();

    // While it is stopped the run goes on.
    await publishEvent(
      events,
      trainer(3, {
        type: 'epoch',
        epoch: 2,
        stage: 'main',
        trainLoss: 0.9,
        lr: 0.05,
        imagesPerSecond: 310,
        seconds: 4,
      }),
    );
    await publishEvent(
      events,
      trainer(4, {
        type: 'eval',
        epoch: 2,
        split: 'test',
        metrics: shots(0.6),
        perClassAccuracy: [0.9, 0.3],
        trainCounts: [100, 1],
        confusion: [
          [9, 1],
          [7, 3],
        ],
      }),
    );
    // keepLast 1: writing epoch 2's file deleted epoch 1's, reported with the write.
    await publishEvent(
      events,
      trainer(5, {
        type: 'checkpoint',
        epoch: 1,
        path: `${runId}/checkpoints/epoch-00001.ckpt`,
        sizeBytes: 123,
        sha256: 'aa',
        best: true,
        file: 'epoch',
        pruned: [],
        selection: { metric: 'few', split: 'test', mode: 'max', value: 0.3 },
      }),
    );
    await publishEvent(
      events,
      trainer(6, {
        type: 'checkpoint',
        epoch: 2,
        path: `${runId}/checkpoints/epoch-00002.ckpt`,
        sizeBytes: 123,
        sha256: 'ab',
        best: true,
        file: 'epoch',
        pruned: [`${runId}/checkpoints/epoch-00001.ckpt`],
        selection: { metric: 'few', split: 'test', mode: 'max', value: 0.4 },
      }),
    );
    await publishEvent(
      events,
      trainer(7, {
        type: 'checkpoint',
        epoch: 2,
        path: `${runId}/checkpoints/best.ckpt`,
        sizeBytes: 123,
        sha256: 'ab',
        best: true,
        file: 'best',
        pruned: [],
        selection: { metric: 'few', split: 'test', mode: 'max', value: 0.4 },
      }),
    );
    await publishEvent(events, trainer(8, { type: 'finished', epoch: 2, metrics: shots(0.6) }));
    expect((await bed.store.getRun(runId))?.status).toBe('running');

    recorder = Recorder.start({ settings: bed.settings, store: bed.store });
    await waitFor(async () => (await bed.store.getRun(runId))?.status === 'succeeded', 20_000, 'finish');
    await recorder.close();

    const detail = await bed.store.getRunDetail(runId);
    expect(detail?.run).toMatchObject({ node: 'node-a', slot: '1', backend: 'wasm', attempt: 1, lastEpoch: 2 });
    expect(detail?.run.objective).toBeCloseTo(0.4, 12);
    const losses = detail?.metrics.filter((m) => m.name === 'loss').map((m) => [m.epoch, m.value]);
    expect(losses).toEqual([
      [1, 1.5],
      [2, 0.9],
    ]);
    expect(detail?.evaluations.map((e) => e.epoch)).toEqual([1, 2]);
    expect(detail?.evaluations.map((e) => e.top1)).toEqual([0.5, 0.6]);
    expect(detail?.evaluations[1]?.confusion).toEqual([
      [9, 1],
      [7, 3],
    ]);
    const checkpoints = checkpointsOnDisk(detail?.artifacts ?? []);
    expect(checkpoints.files.map((f) => [f.file, f.epoch])).toEqual([
      ['epoch', 2],
      ['best', 2],
    ]);
    expect(checkpoints.best?.basis).toBe('best by few on test');
    expect(detail?.artifacts.find((a) => a.path.endsWith('epoch-00001.ckpt'))?.removedAt).toEqual(
      new Date(Date.UTC(2026, 0, 1, 0, 0, 6)),
    );
    expect(await events.count()).toBe(0);
  });

  it('renumbers the events of a 0-based trainer still in the queue from 1', async () => {
    await publishEvent(
      events,
      oldTrainer(0, {
        type: 'started',
        epoch: 1, // 0-based: the second epoch is next
        backend: 'wasm',
        device: null,
        totalEpochs: 2,
        stepsPerEpoch: 10,
        resumedFrom: `${oldRunId}/checkpoints/epoch-00001.ckpt`,
      }),
    );
    await publishEvent(
      events,
      oldTrainer(1, { type: 'epoch', epoch: 1, stage: 'main', trainLoss: 1, lr: 0.1, imagesPerSecond: 1, seconds: 1 }),
    );
    await publishEvent(
      events,
      oldTrainer(2, {
        type: 'eval',
        epoch: 1,
        split: 'test',
        metrics: shots(0.5),
        perClassAccuracy: [0.5],
        trainCounts: [1],
        confusion: null,
      }),
    );
    await publishEvent(
      events,
      oldTrainer(3, {
        type: 'checkpoint',
        epoch: 1,
        path: `${oldRunId}/checkpoints/epoch-00002.ckpt`,
        sizeBytes: 1,
        sha256: 'x',
        best: true,
      }),
    );
    await publishEvent(events, oldTrainer(4, { type: 'finished', epoch: 1, metrics: shots(0.5) }));
    const recorder = Recorder.start({ settings: bed.settings, store: bed.store });
    await waitFor(async () => (await bed.store.getRun(oldRunId))?.status === 'succeeded', 20_000, 'old run');
    await recorder.close();
    const detail = await bed.store.getRunDetail(oldRunId);
    expect(detail?.run.lastEpoch).toBe(2);
    expect(detail?.metrics.find((m) => m.name === 'loss')?.epoch).toBe(2);
    expect(detail?.metrics.find((m) => m.name === 'resumed_at_epoch')).toMatchObject({ epoch: 1, value: 1 });
    expect(detail?.evaluations.map((e) => e.epoch)).toEqual([2]);
    expect(detail?.artifacts).toEqual([expect.objectContaining({ kind: 'checkpoint', epoch: 2 })]);
  });

  it('records worker heartbeats and final outcomes reported by workers', async () => {
    const recorder = Recorder.start({ settings: bed.settings, store: bed.store });
    const time = Date.now();
    await publishEvent(events, {
      id: 'hb-1',
      source: 'worker',
      event: {
        type: 'worker-heartbeat',
        workerId: 'node-a:0',
        node: 'node-a',
        slot: '0',
        pid: 1,
        backend: 'wasm',
        device: null,
        memoryBytes: null,
        status: 'idle',
        currentRunId: null,
        time,
      },
    });
    await waitFor(async () => (await bed.store.listWorkers()).length === 1, 20_000, 'worker row');
    await recorder.close();
  });
});
