import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyBase, waitFor } from '../../tests/helpers.js';
import { freePort, startRedisServer } from '../../tests/redis-server.js';
import { openWorkerQueues, type WorkerQueues } from '../../tests/worker-queues.js';
import { connectRedis, type QueueSettings } from '../queue/connection.js';
import type { EventEnvelope, RunJob, WorkerEvent } from '../queue/payloads.js';
import { openEventsQueue, openRunsQueue, runJobOptions } from '../queue/run-queue.js';
import type { GpuStatus } from './device-probe.js';
import type { Slot } from './slots.js';
import { earlyStoppingValue, UNDELIVERED_EVENTS_FILE, WorkerSupervisor } from './worker-supervisor.js';

const MIB = 1024 * 1024;

/**
 * A stand-in trainer: reads its job, reports `started` with the backend and device it was told to,
 * holds ~40 MB so its resident memory stands out, then finishes. With `lingerMs`, a grandchild
 * keeps its stdout open that long after it exits, so the slot stays busy with its trainer gone.
 */
function fakeTrainer(backend: string, device: string, lingerMs = 0): { command: string; args: string[] } {
  const script = `
    let input = '';
    process.stdin.on('data', (chunk) => { input += chunk; });
    process.stdin.on('end', () => {
      const job = JSON.parse(input);
      const base = { runId: job.runId, attempt: job.attempt, epoch: 0, step: 0 };
      const emit = (event) => process.stdout.write(JSON.stringify({ ...base, ...event, time: Date.now() }) + '\\n');
      emit({ seq: 0, type: 'started', backend: ${JSON.stringify(backend)}, device: ${JSON.stringify(device)},
        totalEpochs: 1, stepsPerEpoch: 1, resumedFrom: null });
      const ballast = Buffer.alloc(40 * 1024 * 1024, 1);
      setTimeout(() => {
        emit({ seq: 1, type: 'finished', metrics: null });
        if (${lingerMs} > 0) {
          require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, ${lingerMs})'],
            { stdio: ['ignore', 'inherit', 'ignore'], detached: true }).unref();
        }
        process.exit(ballast[0] - 1);
      }, 1500);
    });`;
  return { command: process.execPath, args: ['-e', script] };
}

/**
 * A stand-in trainer that reports `started`, writes its pid to `<run dir>/trainer.pid` (so a test
 * can kill it) and then waits to be killed.
 */
function killableTrainer(): { command: string; args: string[] } {
  const script = `
    let input = '';
    process.stdin.on('data', (chunk) => { input += chunk; });
    process.stdin.on('end', () => {
      const job = JSON.parse(input);
      require('node:fs').mkdirSync(job.runDir, { recursive: true });
      process.stdout.write(JSON.stringify({ runId: job.runId, attempt: job.attempt, epoch: 0, step: 0, seq: 0,
        type: 'started', backend: 'wasm', device: null, totalEpochs: 1, stepsPerEpoch: 1, resumedFrom: null,
        time: Date.now() }) + '\\n');
      require('node:fs').writeFileSync(require('node:path').join(job.runDir, 'trainer.pid'), String(process.pid));
      setInterval(() => {}, 1000);
    });`;
  return { command: process.execPath, args: ['-e', script] };
}

/** A stand-in trainer that reports `started`, then an `epoch` event every 100 ms until stopped. */
function chattyTrainer(): { command: string; args: string[] } {
  const script = `
    let input = '';
    process.stdin.on('data', (chunk) => { input += chunk; });
    process.stdin.on('end', () => {
      const job = JSON.parse(input);
      let seq = 0;
      const emit = (event) => process.stdout.write(JSON.stringify({ runId: job.runId, attempt: job.attempt,
        epoch: 1, step: seq, seq: seq++, time: Date.now(), ...event }) + '\\n');
      emit({ type: 'started', backend: 'wasm', device: null, totalEpochs: 1, stepsPerEpoch: 1, resumedFrom: null });
      setInterval(() => emit({ type: 'epoch', stage: 'main', trainLoss: 1, lr: 0.1, imagesPerSecond: 1, seconds: 1 }), 100);
    });`;
  return { command: process.execPath, args: ['-e', script] };
}

type Heartbeat = Extract<WorkerEvent, { type: 'worker-heartbeat' }>;

describe('WorkerSupervisor heartbeats', () => {
  let dir: string;
  let settings: QueueSettings;
  let events: Queue<EventEnvelope>;
  let runs: Queue<RunJob>;

  let queues: WorkerQueues;

  beforeAll(async () => {
    queues = await openWorkerQueues('supervisor');
    ({ dir, settings, events, runs } = queues);
  });
  afterAll(() => queues.close());

  /** One supervisor's beats: each test names its node after its run, as the events queue is shared. */
  async function heartbeats(node: string, slot: string): Promise<Heartbeat[]> {
    const jobs = await events.getJobs(['waiting', 'prioritized', 'delayed']);
    return jobs
      .map((job) => job.data.event)
      .filter(
        (event): event is Heartbeat => event.type === 'worker-heartbeat' && event.node === node && event.slot === slot,
      )
      .sort((a, b) => a.time - b.time);
  }

  async function runOnce(options: {
    slot: Slot;
    slotName: string;
    runId: string;
    trainer: { command: string; args: string[] };
    probeGpus?: () => Promise<GpuStatus[] | null>;
  }): Promise<{ before: Heartbeat; busy: Heartbeat[]; after: Heartbeat; healthFile: string }> {
    const healthFile = join(dir, `${options.runId}.health`);
    const node = `test-node-${options.runId}`;
    const supervisor = await WorkerSupervisor.start({
      settings,
      slots: [options.slot],
      trainer: options.trainer,
      artifactRoot: dir,
      node,
      backend: 'auto',
      heartbeatMs: 200,
      healthFile,
      ...(options.probeGpus === undefined ? {} : { probeGpus: options.probeGpus }),
    });
    try {
      const [before] = await heartbeats(node, options.slotName);
      await runs.add(
        'run',
        {
          runId: options.runId,
          sweepId: null,
          config: tinyBase as unknown as RunJob['config'],
          configHash: 'h',
          objective: { metric: 'top1', mode: 'max' },
        },
        runJobOptions(options.runId, 50),
      );
      await waitFor(
        async () => (await heartbeats(node, options.slotName)).some((beat) => beat.status === 'busy'),
        20_000,
        'a busy heartbeat',
      );
      await waitFor(
        async () => {
          const all = await heartbeats(node, options.slotName);
          return all.some((beat) => beat.status === 'busy') && all.at(-1)?.status === 'idle';
        },
        20_000,
        'an idle heartbeat after the run',
      );
      const all = await heartbeats(node, options.slotName);
      return {
        before: before as Heartbeat,
        busy: all.filter((beat) => beat.status === 'busy'),
        after: all.at(-1) as Heartbeat,
        healthFile,
      };
    } finally {
      await supervisor.close();
    }
  }

  it('reports the GPU model and its memory in use, and the backend the trainer loaded', async () => {
    let used = 100;
    const probe = async (): Promise<GpuStatus[]> => [
      { index: 0, name: 'Other GPU', memoryUsedBytes: 1, memoryTotalBytes: 2 },
      { index: 1, name: 'Fake H100', memoryUsedBytes: used++ * MIB, memoryTotalBytes: 81559 * MIB },
    ];
    const result = await runOnce({
      slot: { kind: 'gpu', index: 1 },
      slotName: 'gpu1',
      runId: 'hb-gpu',
      trainer: fakeTrainer('tensorflow', 'GPU: Fake H100, Other GPU'),
      probeGpus: probe,
    });
    // Before any trainer ran: the requested backend; the device and memory come from the driver.
    expect(result.before).toMatchObject({ backend: 'auto', device: 'Fake H100 (GPU 1, 81559 MiB)' });
    expect(result.before.memoryBytes).toBeGreaterThanOrEqual(100 * MIB);
    // Once a trainer started: the backend it loaded; still this slot's GPU, not every GPU it saw.
    expect(result.after).toMatchObject({ backend: 'tensorflow', device: 'Fake H100 (GPU 1, 81559 MiB)' });
    expect(result.after.memoryBytes as number).toBeGreaterThan(result.before.memoryBytes as number);
    expect(Number(readFileSync(result.healthFile, 'utf8'))).toBeGreaterThanOrEqual(result.after.time);
  });

  it("on webgpu, adds the Vulkan adapter and driver the trainer opened to the GPU slot's device", async () => {
    const adapter = 'GPU: Fake H100 (nvidia hopper; 580.65.06); WebGPU via Dawn on Vulkan, adapter 1';
    const result = await runOnce({
      slot: { kind: 'gpu', index: 1 },
      slotName: 'gpu1',
      runId: 'hb-webgpu',
      trainer: fakeTrainer('webgpu', adapter),
      probeGpus: async () => [{ index: 1, name: 'Fake H100', memoryUsedBytes: MIB, memoryTotalBytes: 81559 * MIB }],
    });
    expect(result.after).toMatchObject({ backend: 'webgpu', device: `Fake H100 (GPU 1, 81559 MiB); ${adapter}` });
  });

  it("reports a CPU slot's trainer backend, device and resident memory while it runs", async () => {
    const result = await runOnce({
      slot: { kind: 'cpu', core: 0 },
      slotName: 'cpu0',
      runId: 'hb-cpu',
      trainer: fakeTrainer('wasm', 'CPU: Fake x2; wasm SIMD128'),
      probeGpus: async () => {
        throw new Error('a CPU-only worker must not ask for GPUs');
      },
    });
    expect(result.before).toMatchObject({ backend: 'auto', device: null, status: 'idle' });
    expect(result.after).toMatchObject({ backend: 'wasm', device: 'CPU: Fake x2; wasm SIMD128' });
    // The trainer (a small Node process holding 40 MB) is measured, not this test process.
    // A beat between the trainer's exit and its reaping may say null (unknown), never this process.
    const measured = result.busy
      .filter((beat) => beat.backend === 'wasm' && beat.memoryBytes !== null)
      .map((beat) => beat.memoryBytes as number);
    expect(measured.length).toBeGreaterThan(0);
    expect(Math.max(...measured)).toBeGreaterThan(40 * MIB);
    expect(Math.max(...measured)).toBeLessThan(process.memoryUsage().rss);
    expect(existsSync(result.healthFile)).toBe(true);
  });

  it('reports no memory figure, not its own, for a busy slot whose trainer has exited', async () => {
    const result = await runOnce({
      slot: { kind: 'cpu', core: 0 },
      slotName: 'cpu0',
      runId: 'hb-gone',
      trainer: fakeTrainer('wasm', 'CPU: Fake x2; wasm SIMD128', 1500),
      probeGpus: async () => [],
    });
    const memory = result.busy.filter((beat) => beat.backend === 'wasm').map((beat) => beat.memoryBytes);
    // Beats while the trainer ran measure it; those after its exit (stdout still open) say null.
    expect(memory.filter((bytes) => bytes === null).length).toBeGreaterThan(0);
    const measured = memory.filter((bytes): bytes is number => bytes !== null);
    expect(measured.length).toBeGreaterThan(0);
    expect(Math.max(...measured)).toBeLessThan(process.memoryUsage().rss);
  });

  it('labels a trainer killed with SIGKILL as killed (not out of memory), and logs the kill and the requeue', async () => {
    const runId = 'killed-run';
    const lines: string[] = [];
    const supervisor = await WorkerSupervisor.start({
      settings,
      slots: [{ kind: 'cpu', core: 0 }],
      trainer: killableTrainer(),
      artifactRoot: dir,
      node: `test-node-${runId}`,
      heartbeatMs: 200,
      probeGpus: async () => [],
      onLog: (slot, line) => lines.push(`[${slot}] ${line}`),
    });
    const pidFile = join(dir, runId, 'trainer.pid');
    const killTrainer = async () => {
      await waitFor(async () => existsSync(pidFile), 20_000, 'the trainer to start');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      rmSync(pidFile);
      process.kill(pid, 'SIGKILL');
    };
    try {
      await runs.add(
        'run',
        {
          runId,
          sweepId: null,
          config: tinyBase as unknown as RunJob['config'],
          configHash: 'h',
          objective: { metric: 'top1', mode: 'max' },
        },
        { ...runJobOptions(runId, 50), attempts: 2, backoff: { type: 'fixed', delay: 100 } },
      );
      await killTrainer();
      await killTrainer();
      const ofRun = async () =>
        (await events.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1, true))
          .map((job) => job.data.event)
          .filter((event) => 'runId' in event && event.runId === runId);
      await waitFor(async () => (await ofRun()).some((event) => event.type === 'run-ended'), 20_000, 'run-ended');
      const outcome = (await ofRun()).filter((event) => event.type === 'run-requeued' || event.type === 'run-ended');
      expect(outcome).toMatchObject([
        {
          type: 'run-requeued',
          attempt: 1,
          code: 'TRAIN.KILLED',
          reason: expect.stringMatching(/^\[TRAIN\.KILLED\] .*killed by SIGKILL/),
        },
        { type: 'run-ended', attempt: 2, status: 'failed', errorCode: 'TRAIN.KILLED' },
      ]);
      expect(JSON.stringify(outcome)).not.toContain('OUT_OF_MEMORY');
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^\[cpu0\] run killed-run attempt 1: trainer killed: \[TRAIN\.KILLED\] .*SIGKILL/),
          expect.stringMatching(/^\[cpu0\] run killed-run attempt 1 requeued \(1 of 2 tries left\): \[TRAIN\.KILLED\]/),
          expect.stringMatching(/^\[cpu0\] run killed-run attempt 2 failed \(no tries left\): \[TRAIN\.KILLED\]/),
        ]),
      );
    } finally {
      await supervisor.close();
    }
  });
});

describe('WorkerSupervisor when Redis fails', () => {
  it('gives up coded after its Redis timeout when Redis stays away at start-up, printing one line per try', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const started = Date.now();
    await expect(
      WorkerSupervisor.start({
        settings: { redisUrl: `redis://127.0.0.1:${port}`, prefix: 'ltlab-test-no-redis' },
        slots: [{ kind: 'cpu', core: 0 }],
        trainer: killableTrainer(),
        artifactRoot: tmpdir(),
        redisTimeoutMs: 2_000,
        onLog: (slot, line) => lines.push(`[${slot}] ${line}`),
      }),
    ).rejects.toMatchObject({ code: 'QUEUE.UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\[worker\] redis: cannot reach /);
  });

  it('gives up coded when Redis goes away while it runs, and keeps undelivered events for the next attempt', async () => {
    const server = await startRedisServer();
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-supervisor-outage-'));
    const settings: QueueSettings = { redisUrl: server.url, prefix: 'ltlab-test-outage' };
    const lines: string[] = [];
    try {
      const supervisor = await WorkerSupervisor.start({
        settings,
        slots: [{ kind: 'cpu', core: 0 }],
        trainer: killableTrainer(),
        artifactRoot: dir,
        heartbeatMs: 200,
        redisTimeoutMs: 2_000,
        probeGpus: async () => [],
        onLog: (slot, line) => lines.push(`[${slot}] ${line}`),
      });
      const redis = await connectRedis(settings);
      const queue = openRunsQueue(settings, redis);
      await queue.add(
        'run',
        {
          runId: 'outage-run',
          sweepId: null,
          config: tinyBase as unknown as RunJob['config'],
          configHash: 'h',
          objective: { metric: 'top1', mode: 'max' },
        },
        runJobOptions('outage-run', 50),
      );
      await waitFor(async () => existsSync(join(dir, 'outage-run', 'trainer.pid')), 20_000, 'the trainer to start');
      await queue.close();
      redis.disconnect();
      await server.stop();
      const lost = Date.now();
      const fatal = await supervisor.fatal;
      expect(fatal).toMatchObject({ code: 'QUEUE.UNAVAILABLE' });
      expect(Date.now() - lost).toBeLessThan(6_000);
      await supervisor.abandon();
      expect(lines.some((line) => /^\[worker\] redis: lost the connection/.test(line))).toBe(true);
      // Its trainer stopped, and the run's events that Redis did not take wait in its directory.
      const file = join(dir, 'outage-run', UNDELIVERED_EVENTS_FILE);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('"type":"run-requeued"');
    } finally {
      await server.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails a run whose events Redis refuses past the bound, and delivers them all with the run's failure once Redis takes them", async () => {
    const server = await startRedisServer(['--maxmemory-policy', 'noeviction']);
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-supervisor-refused-'));
    const settings: QueueSettings = { redisUrl: server.url, prefix: 'ltlab-test-refused' };
    const lines: string[] = [];
    const admin = await connectRedis(settings);
    const events = openEventsQueue(settings, admin);
    const queue = openRunsQueue(settings, admin);
    const runId = 'refused-run';
    const ofRun = async () =>
      (await events.getJobs(['waiting', 'prioritized'], 0, -1, true))
        .map((job) => job.data)
        .filter((envelope) => 'runId' in envelope.event && envelope.event.runId === runId);
    const supervisor = await WorkerSupervisor.start({
      settings,
      slots: [{ kind: 'cpu', core: 0 }],
      trainer: chattyTrainer(),
      artifactRoot: dir,
      heartbeatMs: 200,
      redisTimeoutMs: 1_500,
      probeGpus: async () => [],
      onLog: (slot, line) => lines.push(`[${slot}] ${line}`),
    });
    try {
      await queue.add(
        'run',
        {
          runId,
          sweepId: null,
          config: tinyBase as unknown as RunJob['config'],
          configHash: 'h',
          objective: { metric: 'top1', mode: 'max' },
        },
        { ...runJobOptions(runId, 50), attempts: 1 },
      );
      await waitFor(async () => (await ofRun()).length >= 3, 20_000, 'the first events');
      // Full memory under noeviction: Redis answers, but refuses every write.
      await admin.config('SET', 'maxmemory', '1');
      await waitFor(
        async () => lines.some((line) => line.startsWith(`[worker] [QUEUE.UNAVAILABLE] Events of run ${runId}`)),
        10_000,
        'the run to be failed',
      );
      await admin.config('SET', 'maxmemory', '0');
      await waitFor(
        async () => (await ofRun()).some((envelope) => envelope.event.type === 'run-ended'),
        20_000,
        'run-ended',
      );
      const delivered = await ofRun();
      expect(delivered.at(-1)?.event).toMatchObject({
        type: 'run-ended',
        status: 'failed',
        errorCode: 'QUEUE.UNAVAILABLE',
      });
      // Every trainer event once, in order: no gap, no duplicate.
      const seqs = delivered.flatMap((envelope) => (envelope.source === 'trainer' ? [envelope.event.seq] : []));
      expect(seqs).toEqual([...seqs.keys()]);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^\[cpu0\] run refused-run attempt 1 failed: \[QUEUE\.UNAVAILABLE\]/),
        ]),
      );
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      await supervisor.close();
      await events.close();
      await queue.close();
      admin.disconnect();
      await server.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('earlyStoppingValue', () => {
  const base = { runId: 'r', attempt: 1, seq: 3, epoch: 2, step: 1000, time: 0, type: 'eval' as const };
  const classification = {
    ...base,
    split: 'val' as const,
    metrics: { top1: 0.7, top5: 0.9, many: 0.8, medium: 0.6, few: null },
    perClassAccuracy: [0.7],
    trainCounts: [10],
    confusion: null,
  };
  const segmentation = {
    ...base,
    split: 'test' as const,
    metrics: { top1: 0.78, top5: null, many: null, medium: null, few: null },
    perClassAccuracy: [],
    trainCounts: [],
    confusion: null,
    segmentation: {
      numClasses: 3,
      ignoreIndex: 255,
      countedPixels: 15,
      ignoredPixels: 2,
      mIoU: 0.55,
      pixelAccuracy: 0.78,
      meanClassAccuracy: 0.58,
      perClassIoU: [0.9, 0.2, null],
      perClassAccuracy: [0.9, 0.2, null],
      labelPixels: [10, 5, 0],
      imageCounts: [30, 5, 1],
      frequencyGroups: {
        grouping: { by: 'rank-terciles' as const },
        head: 0.9,
        body: 0.2,
        tail: null,
        classesEvaluated: { head: 1, body: 1, tail: 0 },
        classGroups: ['head' as const, 'body' as const, 'tail' as const],
      },
    },
  };

  it("reads a segmentation objective from the event's segmentation block", () => {
    expect(earlyStoppingValue('test/mIoU', segmentation)).toBe(0.55);
    expect(earlyStoppingValue('test/aAcc', segmentation)).toBe(0.78);
    expect(earlyStoppingValue('test/mAcc', segmentation)).toBe(0.58);
    expect(earlyStoppingValue('test/headIoU', segmentation)).toBe(0.9);
    expect(earlyStoppingValue('test/bodyIoU', segmentation)).toBe(0.2);
    // No tail class had an IoU: nothing to report, the guard is not asked.
    expect(earlyStoppingValue('test/tailIoU', segmentation)).toBeNull();
    // Another split's objective, or a metric neither the block nor the event has.
    expect(earlyStoppingValue('val/mIoU', segmentation)).toBeNull();
    expect(earlyStoppingValue('test/constructor', segmentation)).toBeNull();
  });

  it('reads a classification objective from the metrics, as before', () => {
    expect(earlyStoppingValue('val/top1', classification)).toBe(0.7);
    expect(earlyStoppingValue('val/few', classification)).toBeNull();
    expect(earlyStoppingValue('val/mIoU', classification)).toBeNull();
    expect(earlyStoppingValue('test/top1', classification)).toBeNull();
  });
});
