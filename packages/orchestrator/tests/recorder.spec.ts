import type { TrainerEvent } from '@ltlab/train/config';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../src/queue/payloads.js';
import { openEventsQueue, publishEvent } from '../src/queue/run-queue.js';
import { Recorder } from '../src/recorder/recorder.js';
import { createTestBed, type TestBed, tinyBase, waitFor } from './helpers.js';

const runId = 'rec-run-1';

function trainer(seq: number, event: Partial<TrainerEvent> & { type: TrainerEvent['type'] }): EventEnvelope {
  const full = {
    runId,
    attempt: 1,
    seq,
    epoch: 0,
    step: seq * 10,
    time: Date.UTC(2026, 0, 1, 0, 0, seq),
    ...event,
  } as TrainerEvent;
  return { id: `${runId}:1:${seq}`, source: 'trainer', event: full, context: { node: 'node-a', slot: '1' } };
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
    await bed.store.addRuns([
      {
        id: runId,
        sweepId: 'sw',
        fingerprint: 'f',
        config: tinyBase,
        configHash: 'f',
        label: '',
        ordinal: 0,
        sweptKeys: [],
      },
    ]);
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
        epoch: 1,
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
        epoch: 1,
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
    await publishEvent(
      events,
      trainer(5, {
        type: 'checkpoint',
        epoch: 1,
        path: `${runId}/epoch-0001.ckpt`,
        sizeBytes: 123,
        sha256: 'ab',
        best: true,
      }),
    );
    await publishEvent(events, trainer(6, { type: 'finished', epoch: 1, metrics: shots(0.6) }));
    expect((await bed.store.getRun(runId))?.status).toBe('running');

    recorder = Recorder.start({ settings: bed.settings, store: bed.store });
    await waitFor(async () => (await bed.store.getRun(runId))?.status === 'succeeded', 20_000, 'finish');
    await recorder.close();

    const detail = await bed.store.getRunDetail(runId);
    expect(detail?.run).toMatchObject({ node: 'node-a', slot: '1', backend: 'wasm', attempt: 1, lastEpoch: 1 });
    expect(detail?.run.objective).toBeCloseTo(0.4, 12);
    const losses = detail?.metrics.filter((m) => m.name === 'loss').map((m) => [m.epoch, m.value]);
    expect(losses).toEqual([
      [0, 1.5],
      [1, 0.9],
    ]);
    expect(detail?.evaluations.map((e) => e.top1)).toEqual([0.5, 0.6]);
    expect(detail?.evaluations[1]?.confusion).toEqual([
      [9, 1],
      [7, 3],
    ]);
    expect(detail?.artifacts).toEqual([expect.objectContaining({ kind: 'best-checkpoint', epoch: 1 })]);
    expect(await events.count()).toBe(0);
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
