import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSweep } from '../src/producer/submit-sweep.js';
import type { EventEnvelope, RunJob } from '../src/queue/payloads.js';
import { openEventsQueue, openRunsQueue, publishEvent } from '../src/queue/run-queue.js';
import { Recorder } from '../src/recorder/recorder.js';
import { continueTpeSweep, type SearchContext } from '../src/search/continue-tpe-sweep.js';
import { tpeRunId } from '../src/search/tpe-run.js';
import { getPath } from '../src/sweep/dotted-path.js';
import { loadSweepFile } from '../src/sweep/load-sweep-file.js';
import { sweepSpecSchema } from '../src/sweep/sweep-spec.js';
import { WorkerSupervisor } from '../src/worker/worker-supervisor.js';
import { createTestBed, type TestBed, tinyBase, waitFor, writeSweep } from './helpers.js';

/**
 * A test-only trainer whose "accuracy" is Branin (minimised) of two config values: x1 is
 * optimizer.weightDecay - 5 (searched on [0, 15]) and x2 is optimizer.lr (on [0.01, 15]). It
 * reports started, one evaluation and finished, in a few hundred milliseconds.
 */
function braninTrainer(): { command: string; args: string[] } {
  const script = `
    let input = '';
    process.stdin.on('data', (chunk) => { input += chunk; });
    process.stdin.on('end', () => {
      const job = JSON.parse(input);
      const x1 = job.config.optimizer.weightDecay - 5;
      const x2 = job.config.optimizer.lr;
      const b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
      const value = (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
      let seq = 0;
      const emit = (event) => process.stdout.write(JSON.stringify({ runId: job.runId, attempt: job.attempt,
        epoch: 1, epochBase: 1, step: 1, seq: seq++, time: Date.now(), ...event }) + '\\n');
      emit({ type: 'started', backend: 'wasm', device: null, totalEpochs: 1, stepsPerEpoch: 1, resumedFrom: null });
      setTimeout(() => {
        emit({ type: 'eval', split: 'test', metrics: { top1: value, top5: null, many: null, medium: null, few: null },
          perClassAccuracy: [], trainCounts: [], confusion: null });
        emit({ type: 'finished', metrics: null });
        process.exit(0);
      }, 150);
    });`;
  return { command: process.execPath, args: ['-e', script] };
}

const search = (count: number, extra: Record<string, unknown> = {}) => ({
  base: tinyBase,
  objective: { metric: 'test/top1', mode: 'min' },
  tpe: {
    count,
    seed: 3,
    startup: 4,
    params: {
      'optimizer.weightDecay': { distribution: 'uniform', min: 0, max: 15 },
      'optimizer.lr': { distribution: 'uniform', min: 0.01, max: 15 },
    },
  },
  ...extra,
});

/** A real Redis and store, a runs and an events queue, and what continueTpeSweep needs. */
function useBed(name: string, provider: 'sqlite' | 'postgresql') {
  const state = {} as { bed: TestBed; runs: Queue<RunJob>; events: Queue<EventEnvelope>; ctx: SearchContext };
  beforeAll(async () => {
    state.bed = await createTestBed(name, provider);
    state.runs = openRunsQueue(state.bed.settings, state.bed.redis);
    state.events = openEventsQueue(state.bed.settings, state.bed.redis);
    state.ctx = { store: state.bed.store, runs: state.runs, redis: state.bed.redis, prefix: state.bed.settings.prefix };
  });
  afterAll(async () => {
    await state.runs.close();
    await state.events.close();
    await state.bed.cleanup();
  });
  return state;
}

describe.each(['sqlite', 'postgresql'] as const)('continueTpeSweep on %s', (provider) => {
  const t = useBed('tpe-race', provider);

  it('suggests each run once, however often and however concurrently it is continued', async () => {
    const loaded = await loadSweepFile(writeSweep(t.bed.dir, 'race.json', { name: 'tpe-race', ...search(5) }));
    const producer = { store: t.bed.store, runs: t.runs, redis: t.bed.redis, settings: t.bed.settings };
    const submitted = await submitSweep(producer, loaded);
    // No live worker is known and no maxConcurrency is set: two runs in flight.
    expect(submitted).toMatchObject({ runs: 5, created: 2, queued: 2 });
    expect(await submitSweep(producer, loaded)).toMatchObject({ created: 0, queued: 2 });
    const sweepId = submitted.sweepId;
    await Promise.all([1, 2, 3].map(() => continueTpeSweep(t.ctx, sweepId)));
    expect((await t.bed.store.listRuns({ sweepId })).total).toBe(2);
    expect(await t.runs.getJobCounts('waiting', 'prioritized')).toMatchObject({ prioritized: 2 });

    // One run ends: racing continuations add one suggestion between them, not one each.
    const at = new Date();
    await t.bed.store.markRunStarted({ runId: tpeRunId(sweepId, 0), attempt: 1, node: 'n', slot: '0', at });
    await t.bed.store.recordEvaluation({ runId: tpeRunId(sweepId, 0), split: 'test', epoch: 1, top1: 3, objective: 3 });
    await t.bed.store.markRunFinished({ runId: tpeRunId(sweepId, 0), attempt: 1, status: 'succeeded', at });
    const progress = await Promise.all([1, 2].map(() => continueTpeSweep(t.ctx, sweepId)));
    expect(progress.flatMap((p) => p?.created ?? [])).toEqual([tpeRunId(sweepId, 2)]);
    expect((await t.bed.store.listRuns({ sweepId })).total).toBe(3);

    // A cancelled sweep gets no more.
    await t.bed.store.cancelRuns([tpeRunId(sweepId, 1), tpeRunId(sweepId, 2)], at);
    await t.bed.store.setSweepStatus(sweepId, 'cancelled');
    expect(await continueTpeSweep(t.ctx, sweepId)).toMatchObject({ created: [], suggested: 3 });
  });

  it('enqueues a stored run whose job was lost before a worker took it', async () => {
    const loaded = await loadSweepFile(writeSweep(t.bed.dir, 'lost.json', { name: 'tpe-lost', ...search(4) }));
    const producer = { store: t.bed.store, runs: t.runs, redis: t.bed.redis, settings: t.bed.settings };
    const { sweepId } = await submitSweep(producer, loaded);
    await (await t.runs.getJob(tpeRunId(sweepId, 1)))?.remove();
    expect(await continueTpeSweep(t.ctx, sweepId)).toMatchObject({ created: [], suggested: 2 });
    expect((await t.runs.getJob(tpeRunId(sweepId, 1)))?.data.config).toEqual(
      (await t.bed.store.getRun(tpeRunId(sweepId, 1)))?.config,
    );
  });

  it('stores a suggestion that makes an invalid config as failed, and goes on', async () => {
    const spec = sweepSpecSchema.parse({
      name: 'tpe-invalid',
      base: tinyBase,
      tpe: { count: 3, startup: 0, params: { epochs: { distribution: 'int', min: -3, max: -1 } } },
    });
    await t.bed.store.saveSweep({
      id: 'tpe-invalid',
      name: 'tpe-invalid',
      spec: JSON.parse(JSON.stringify(spec)),
      specHash: 'h',
      objectiveMetric: 'test/top1',
      objectiveMode: 'max',
      priority: 50,
      maxConcurrency: null,
    });
    const progress = await continueTpeSweep(t.ctx, 'tpe-invalid', { inflight: 1 });
    expect(progress?.created).toHaveLength(3);
    const { runs: stored } = await t.bed.store.listRuns({ sweepId: 'tpe-invalid' });
    expect(stored.map((run) => [run.status, run.errorCode])).toEqual(Array(3).fill(['failed', 'CONFIG.INVALID']));
    expect(stored[0]?.errorMessage).toMatch(/epochs/);
    expect(await t.runs.getJob(tpeRunId('tpe-invalid', 0))).toBeUndefined();
  });
});

describe('a TPE sweep through the queue', () => {
  const t = useBed('tpe', 'sqlite');

  it('runs all its suggestions on two slots, each conditioned on the results before it, across a recorder restart', async () => {
    const count = 12;
    const supervisor = await WorkerSupervisor.start({
      settings: t.bed.settings,
      slots: [
        { kind: 'gpu', index: 0 },
        { kind: 'gpu', index: 1 },
      ],
      trainer: braninTrainer(),
      artifactRoot: t.bed.dir,
      node: 'tpe-node',
      probeGpus: async () => null,
      heartbeatMs: 200,
      checkDurability: false,
    });
    let recorder = Recorder.start({ settings: t.bed.settings, store: t.bed.store, log: () => {} });
    try {
      await waitFor(async () => (await t.bed.store.listWorkers()).length === 2, 20_000, 'two live slots');
      const loaded = await loadSweepFile(
        writeSweep(t.bed.dir, 'branin.json', { name: 'tpe-branin', ...search(count) }),
      );
      const producer = { store: t.bed.store, runs: t.runs, redis: t.bed.redis, settings: t.bed.settings };
      const { sweepId, created } = await submitSweep(producer, loaded);
      expect(created).toBe(2); // one per live slot

      await waitFor(async () => (await t.bed.store.listRuns({ sweepId })).total >= 5, 30_000, 'five suggestions');
      await recorder.close();
      // Meanwhile runs finish; their events wait in Redis. A duplicate of a final event is harmless.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      recorder = Recorder.start({ settings: t.bed.settings, store: t.bed.store, log: () => {} });
      await waitFor(
        async () => (await t.bed.store.countRunsByStatus(sweepId)).succeeded === count,
        40_000,
        `${count} runs succeeded`,
      );
      const last = tpeRunId(sweepId, count - 1);
      await publishEvent(t.events, {
        id: `${last}:1:999`,
        source: 'trainer',
        event: {
          runId: last,
          attempt: 1,
          seq: 999,
          epoch: 1,
          epochBase: 1,
          step: 1,
          time: Date.now(),
          type: 'finished',
          metrics: null,
        },
      } as EventEnvelope);
      await waitFor(async () => (await t.events.count()) === 0, 10_000, 'the duplicate event');

      const { runs: stored } = await t.bed.store.listRuns({ sweepId, orderBy: 'ordinal' });
      expect(stored.map((run) => run.id)).toEqual(Array.from({ length: count }, (_, i) => tpeRunId(sweepId, i)));
      expect(stored.every((run) => run.status === 'succeeded' && run.objective !== null)).toBe(true);
      const records = stored.map((run) => run.suggestion);
      expect(records.slice(0, 4).map((r) => r?.algorithm)).toEqual(Array(4).fill('tpe-startup'));
      records.forEach((record, index) => {
        expect(record?.index).toBe(index);
        // Two in flight: suggestion i came when at most one earlier run was still training.
        if (record?.algorithm === 'tpe') expect(record.conditionedOn).toBeGreaterThanOrEqual(index - 1);
      });
      expect(records.filter((r) => r?.algorithm === 'tpe').length).toBeGreaterThanOrEqual(count - 5);
      // The stored record says what the label says, with its inputs and the values it suggested.
      const objectiveOf = new Map(stored.map((run) => [run.ordinal, run.objective ?? Number.NaN]));
      stored.forEach((run, index) => {
        const suggestion = run.suggestion;
        expect(suggestion).toMatchObject(records[index] ?? {});
        expect(suggestion?.inputs.results.length).toBe(suggestion?.conditionedOn);
        const seen = suggestion?.inputs.results.map((i) => objectiveOf.get(i) ?? Number.NaN) ?? [];
        expect(suggestion?.inputs.best).toBe(seen.length === 0 ? null : Math.min(...seen)); // mode: min
        for (const [path, value] of Object.entries(suggestion?.params ?? {}))
          expect(getPath(run.config, path)).toBe(value);
      });
      expect(await continueTpeSweep(t.ctx, sweepId)).toMatchObject({ created: [], suggested: count });
    } finally {
      await recorder.close();
      await supervisor.close();
    }
  }, 90_000);
});
