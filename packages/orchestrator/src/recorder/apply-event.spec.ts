import { checkpointsOnDisk, openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventEnvelopeSchema } from '../queue/payloads.js';
import { applyEvent } from './apply-event.js';

const runId = 'resume-run';
const noObjective = async () => null;

/** A trainer event as the recorder receives it: parsed from the queue, so defaults are filled. */
function trainerEnvelope(seq: number, attempt: number, event: Record<string, unknown>) {
  return eventEnvelopeSchema.parse({
    id: `${runId}:${attempt}:${seq}`,
    source: 'trainer',
    context: { node: 'node-a', slot: '0' },
    event: { runId, attempt, seq, epochBase: 1, step: 0, time: Date.UTC(2026, 11, 6, 0, attempt, seq), ...event },
  });
}

/** A migrated temporary store holding one run with `id`, and how to drop it. */
async function storeWithRun(provider: 'sqlite' | 'postgresql', label: string, id: string) {
  const database = await createTemporaryDatabase(provider, { label });
  const store = await openRunStore({ target: database.target, migrate: true });
  await store.addRuns([
    { id, sweepId: null, fingerprint: id, config: {}, configHash: id, label: '', ordinal: 0, sweptKeys: [] },
  ]);
  return { store, drop: database.drop };
}

const started = { type: 'started', backend: 'wasm', device: null, totalEpochs: 4, stepsPerEpoch: 2 };

function checkpointWritten(epoch: number) {
  return {
    type: 'checkpoint',
    epoch,
    step: epoch * 2,
    path: `${runId}/checkpoints/epoch-0000${epoch}.ckpt`,
    sizeBytes: 10,
    sha256: `s${epoch}`,
    best: false,
  };
}

describe.each(['sqlite', 'postgresql'] as const)('applying a started event on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ store, drop } = await storeWithRun(provider, 'apply_started', runId));
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('stores the checkpoint resumed from and the rejected ones, and the run detail returns them', async () => {
    // Attempt 1 wrote checkpoints of epochs 1..3; the newest two were damaged before attempt 2.
    for (const epoch of [1, 2, 3])
      await applyEvent(store, trainerEnvelope(epoch, 1, checkpointWritten(epoch)), noObjective);
    expect((await store.getRunDetail(runId))?.rejectedCheckpoints).toEqual([]);
    const rejected = [
      {
        file: `${runId}/checkpoints/epoch-00003.ckpt`,
        code: 'CHECKPOINT.CORRUPT',
        reason: 'payload checksum mismatch',
      },
      { file: `${runId}/checkpoints/epoch-00002.ckpt`, code: 'CHECKPOINT.CORRUPT', reason: 'truncated: 30 bytes' },
    ];
    await applyEvent(
      store,
      trainerEnvelope(0, 2, {
        ...started,
        epoch: 2,
        resumedFrom: `${runId}/checkpoints/epoch-00001.ckpt`,
        rejectedCheckpoints: rejected,
      }),
      noObjective,
    );
    const detail = await store.getRunDetail(runId);
    expect(detail?.resumedFrom).toBe(`${runId}/checkpoints/epoch-00001.ckpt`);
    expect(detail?.rejectedCheckpoints).toEqual(rejected);
    expect(detail?.run).toMatchObject({ status: 'running', attempt: 2 });
    // The rejected files were set aside: the views no longer list them as on disk.
    expect(checkpointsOnDisk(detail?.artifacts ?? []).files.map((f) => f.epoch)).toEqual([1]);
  });

  it('records an attempt that found every checkpoint damaged, and a later clean start clears it', async () => {
    const rejected = [{ file: `${runId}/checkpoints/epoch-00001.ckpt`, code: 'CHECKPOINT.CORRUPT', reason: 'x' }];
    await applyEvent(
      store,
      trainerEnvelope(0, 3, { ...started, epoch: 1, resumedFrom: null, rejectedCheckpoints: rejected }),
      noObjective,
    );
    expect(await store.getRunDetail(runId)).toMatchObject({ resumedFrom: null, rejectedCheckpoints: rejected });

    // A trainer from before the field: its started event lists nothing, and nothing stays listed.
    await applyEvent(store, trainerEnvelope(0, 4, { ...started, epoch: 1, resumedFrom: null }), noObjective);
    expect(await store.getRunDetail(runId)).toMatchObject({ resumedFrom: null, rejectedCheckpoints: [] });
  });

  it('ignores a late started event of an older attempt', async () => {
    const rejected = [{ file: `${runId}/checkpoints/epoch-00009.ckpt`, code: 'CHECKPOINT.CORRUPT', reason: 'late' }];
    await applyEvent(
      store,
      trainerEnvelope(0, 1, { ...started, epoch: 1, resumedFrom: null, rejectedCheckpoints: rejected }),
      noObjective,
    );
    expect(await store.getRunDetail(runId)).toMatchObject({ run: { attempt: 4 }, rejectedCheckpoints: [] });
  });

  it('stores the provenance a started event carries, and the run detail returns it', async () => {
    const provenance = {
      packages: { '@ltlab/train': '0.1.0', '@tensorflow/tfjs-core': '4.22.0' },
      tfjs: '4.22.0',
      backend: 'wasm',
      device: 'AMD EPYC 7B13; wasm SIMD128, 1 thread per process',
      node: 'v20.19.0',
      platform: 'linux-x64',
    };
    await applyEvent(
      store,
      trainerEnvelope(0, 5, { ...started, epoch: 1, resumedFrom: null, provenance }),
      noObjective,
    );
    expect((await store.getRunDetail(runId))?.provenance).toEqual(provenance);
  });
});

describe('applying a worker heartbeat', () => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTemporaryDatabase('sqlite', { label: 'apply_heartbeat' });
    drop = database.drop;
    store = await openRunStore({ target: database.target, migrate: true });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  const beat = (time: number, extra: Record<string, unknown>) =>
    eventEnvelopeSchema.parse({
      id: `hb:${time}`,
      source: 'worker',
      event: {
        type: 'worker-heartbeat',
        workerId: 'node-a:1:cpu0',
        node: 'node-a',
        slot: 'cpu0',
        pid: 1,
        backend: 'wasm',
        device: null,
        memoryBytes: null,
        status: 'idle',
        currentRunId: null,
        time,
        ...extra,
      },
    });

  it("stores the data sets the worker reported, and keeps them when a beat (an older worker's) has none", async () => {
    const dataSources = [
      {
        source: 'mnist',
        path: '/data/datasets/mnist',
        via: 'data.root',
        present: false,
        missing: '/data/datasets/mnist/train-images-idx3-ubyte.gz',
        origin: 'run r7',
      },
    ];
    await applyEvent(store, beat(1_000, { dataSources }), noObjective);
    await applyEvent(store, beat(2_000, {}), noObjective);
    const [worker] = await store.listWorkers();
    expect(worker?.dataSources).toEqual(dataSources);
    expect(worker?.heartbeatAt).toEqual(new Date(2_000));
  });
});

describe('applying a run-requeued event', () => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;
  const requeued = 'requeued-run';

  beforeAll(async () => {
    ({ store, drop } = await storeWithRun('sqlite', 'apply_requeued', requeued));
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  function workerEnvelope(attempt: number, event: Record<string, unknown>) {
    return eventEnvelopeSchema.parse({
      id: `${requeued}:w:${attempt}`,
      source: 'worker',
      event: { type: 'run-requeued', runId: requeued, attempt, time: Date.UTC(2026, 11, 7, 0, attempt), ...event },
    });
  }

  async function start(attempt: number) {
    const at = new Date(Date.UTC(2026, 11, 7, 0, attempt));
    await store.markRunStarted({ runId: requeued, attempt, node: 'node-a', slot: 'cpu0', at });
  }

  it('keeps why the attempt ended as the run error until the next attempt starts', async () => {
    await start(1);
    const reason = '[TRAIN.KILLED] The trainer was killed by SIGKILL';
    await applyEvent(store, workerEnvelope(1, { reason, code: 'TRAIN.KILLED' }), noObjective);
    expect(await store.getRun(requeued)).toMatchObject({
      status: 'queued',
      errorCode: 'TRAIN.KILLED',
      errorMessage: 'attempt 1 requeued: The trainer was killed by SIGKILL',
    });
    await start(2);
    expect(await store.getRun(requeued)).toMatchObject({ status: 'running', errorCode: null, errorMessage: null });
  });

  it("takes an older worker's event, which has no code, whole", async () => {
    await applyEvent(store, workerEnvelope(2, { reason: 'the worker is stopping' }), noObjective);
    expect(await store.getRun(requeued)).toMatchObject({
      status: 'queued',
      errorCode: 'TRAIN.INTERRUPTED',
      errorMessage: 'attempt 2 requeued: the worker is stopping',
    });
  });
});
