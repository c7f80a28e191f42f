import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyBase, waitFor } from '../../tests/helpers.js';
import { connectRedis, type QueueSettings } from '../queue/connection.js';
import type { EventEnvelope, RunJob, WorkerEvent } from '../queue/payloads.js';
import { openEventsQueue, openRunsQueue, runJobOptions } from '../queue/run-queue.js';
import type { GpuStatus } from './device-probe.js';
import type { Slot } from './slots.js';
import { WorkerSupervisor } from './worker-supervisor.js';

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

type Heartbeat = Extract<WorkerEvent, { type: 'worker-heartbeat' }>;

describe('WorkerSupervisor heartbeats', () => {
  let dir: string;
  let redis: Redis;
  let settings: QueueSettings;
  let events: Queue<EventEnvelope>;
  let runs: Queue<RunJob>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-supervisor-'));
    settings = {
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      prefix: `ltlab-test-supervisor-${process.pid}-${Date.now()}`,
    };
    redis = await connectRedis(settings);
    events = openEventsQueue(settings, redis);
    runs = openRunsQueue(settings, redis);
  });
  afterAll(async () => {
    await events.close();
    await runs.close();
    const found = await redis.keys(`${settings.prefix}:*`);
    if (found.length > 0) await redis.del(...found);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

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
});
