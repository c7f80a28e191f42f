import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import type { TrainerEvent } from '@ltlab/train/config';
import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { SweepGuard } from '../early-stopping/sweep-guard.js';
import { createRedis, type QueueSettings, RUNS_QUEUE } from '../queue/connection.js';
import { type EventEnvelope, type RunJob, runJobSchema, type WorkerEvent } from '../queue/payloads.js';
import { keys, openEventsQueue, publishEvent } from '../queue/run-queue.js';
import { earlyStoppingSchema } from '../sweep/sweep-spec.js';
import { ConsoleFile } from './console-file.js';
import { describeGpu, type GpuProbe, type GpuStatus, nvidiaSmiProbe, processRssBytes } from './device-probe.js';
import { type Slot, slotName } from './slots.js';
import { type TrainerCommand, type TrainerOutcome, TrainerProcess } from './trainer-process.js';

export interface WorkerSupervisorOptions {
  settings: QueueSettings;
  slots: readonly Slot[];
  /** How to start a trainer child (the CLI passes itself with `train-child`). */
  trainer: TrainerCommand;
  /** Shared artifact root: run directories live at `<root>/<run id>`. */
  artifactRoot: string;
  node?: string;
  /** The backend asked for (`auto`, ...), reported until a trainer says which one it loaded. */
  backend?: string | null;
  device?: string | null;
  /** GPU names and memory for the heartbeat; defaults to nvidia-smi (null where it is absent). */
  probeGpus?: GpuProbe;
  /**
   * Rewritten after every heartbeat that reached Redis: a container healthcheck tests its age
   * (a stuck event loop or a lost Redis stops the writes).
   */
  healthFile?: string;
  heartbeatMs?: number;
  /** BullMQ lock: a worker that stops renewing it (killed) loses the job after this long. */
  lockDurationMs?: number;
  gitCommit?: string;
  gitDirty?: boolean;
  /** Lines the trainers log (stderr and non-event stdout), prefixed by slot. */
  onLog?: (slot: string, line: string) => void;
}

interface SlotState {
  slot: Slot;
  name: string;
  worker: Worker<RunJob>;
  /** What the last trainer on this slot loaded (its `started` event): the real backend and device. */
  runtime: { backend: string; device: string | null } | null;
  current: {
    runId: string;
    sweepId: string | null;
    attempt: number;
    trainer: TrainerProcess;
    cancelled: boolean;
    /** Why the sweep's early-stopping rule stopped it, once it did. */
    earlyStopped: string | null;
    /** It holds one of its sweep's maxConcurrency places (renewed with each heartbeat). */
    placeHeld: boolean;
  } | null;
}

/**
 * One BullMQ worker per slot. Each job runs in a trainer child process, so the parent's event
 * loop stays free to renew the job lock, heartbeat and forward events: trainer events go to the
 * durable `events` queue (the recorder writes them to the store) and to the job's progress.
 * Config and data errors fail the run at once; other failures retry with backoff, resuming from
 * the last checkpoint. A killed worker loses its lock and BullMQ hands the job to another slot.
 */
export class WorkerSupervisor {
  readonly #options: WorkerSupervisorOptions;
  readonly #redis: Redis;
  readonly #guard: SweepGuard;
  readonly #subscriber: Redis;
  readonly #events: Queue<EventEnvelope>;
  readonly #slots: SlotState[] = [];
  readonly #node: string;
  readonly #probeGpus: GpuProbe;
  #heartbeat: NodeJS.Timeout | undefined;
  #stopping = false;

  private constructor(options: WorkerSupervisorOptions) {
    this.#options = options;
    this.#node = options.node ?? hostname();
    this.#probeGpus = options.probeGpus ?? nvidiaSmiProbe();
    this.#redis = createRedis(options.settings);
    this.#guard = new SweepGuard(this.#redis, options.settings.prefix);
    this.#subscriber = createRedis(options.settings);
    this.#events = openEventsQueue(options.settings, this.#redis);
  }

  static async start(options: WorkerSupervisorOptions): Promise<WorkerSupervisor> {
    const supervisor = new WorkerSupervisor(options);
    await supervisor.#start();
    return supervisor;
  }

  get slotNames(): string[] {
    return this.#slots.map((state) => state.name);
  }

  async #start(): Promise<void> {
    const { settings } = this.#options;
    await this.#subscriber.subscribe(keys.cancelChannel(settings.prefix));
    this.#subscriber.on('message', (_channel, runId: string) => {
      for (const state of this.#slots) {
        if (state.current?.runId === runId) {
          state.current.cancelled = true;
          state.current.trainer.stop(10_000);
        }
      }
    });
    for (const slot of this.#options.slots) {
      const name = slotName(slot);
      const state: SlotState = {
        slot,
        name,
        runtime: null,
        current: null,
        worker: undefined as unknown as Worker<RunJob>,
      };
      state.worker = new Worker<RunJob>(RUNS_QUEUE, (job, token) => this.#process(state, job, token), {
        connection: createRedis(settings),
        prefix: settings.prefix,
        concurrency: 1,
        lockDuration: this.#options.lockDurationMs ?? 30_000,
        stalledInterval: Math.max(1_000, Math.floor((this.#options.lockDurationMs ?? 30_000) / 2)),
        // A lost worker is not the run's fault: let stalled jobs come back many times.
        maxStalledCount: 20,
      });
      state.worker.on('error', (error) => this.#options.onLog?.(name, `queue error: ${error.message}`));
      this.#slots.push(state);
    }
    await Promise.all(this.#slots.map((state) => state.worker.waitUntilReady()));
    await this.#beat();
    this.#heartbeat = setInterval(() => void this.#beat().catch(() => undefined), this.#options.heartbeatMs ?? 5_000);
  }

  async #process(state: SlotState, job: Job<RunJob>, token: string | undefined): Promise<void> {
    let data: RunJob;
    try {
      data = parseOrThrow(runJobSchema, job.data, `run job ${job.id ?? '?'}`);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    const runId = data.runId;
    const limit = data.maxConcurrency;
    if (
      data.sweepId !== null &&
      limit !== undefined &&
      !(await this.#guard.acquire(data.sweepId, runId, limit, this.#placeTtlMs()))
    ) {
      // The sweep already trains maxConcurrency runs: wait outside the slot and try again.
      await job.moveToDelayed(Date.now() + 5_000, token);
      throw new DelayedError();
    }
    try {
      await this.#run(state, job, data);
    } finally {
      if (data.sweepId !== null && limit !== undefined) await this.#guard.release(data.sweepId, runId);
    }
  }

  async #run(state: SlotState, job: Job<RunJob>, data: RunJob): Promise<void> {
    const prefix = this.#options.settings.prefix;
    const runId = data.runId;
    const attempt = await this.#redis.incr(keys.attempt(prefix, runId));
    if ((await this.#redis.exists(keys.cancelled(prefix, runId))) === 1) {
      await this.#publishCancelled(runId, attempt, 'RUN.CANCELLED', 'Cancelled before it started.');
      throw new UnrecoverableError('cancelled');
    }
    // The trainer's own output, kept beside its checkpoints (the dashboard shows its tail).
    const consoleLog = new ConsoleFile(join(this.#options.artifactRoot, runId, 'console.log'));
    const trainer = new TrainerProcess({
      command: this.#options.trainer,
      slot: state.slot,
      job: {
        runId,
        attempt,
        config: data.config,
        runDir: join(this.#options.artifactRoot, runId),
        artifactRoot: this.#options.artifactRoot,
        objective: data.objective,
      },
      onEvent: (event) => {
        if (event.type === 'started') state.runtime = { backend: event.backend, device: event.device };
        void this.#forward(job, state, event);
        if (event.type === 'eval') void this.#checkEarlyStop(state, data, event);
      },
      onLog: (line) => {
        this.#options.onLog?.(state.name, line);
        consoleLog.append(`[attempt ${attempt}] ${line}\n`);
      },
    });
    const current = {
      runId,
      sweepId: data.sweepId,
      attempt,
      trainer,
      cancelled: false,
      earlyStopped: null as string | null,
      placeHeld: data.sweepId !== null && data.maxConcurrency !== undefined,
    };
    state.current = current;
    await this.#beat();
    let outcome: TrainerOutcome;
    try {
      outcome = await trainer.done;
    } finally {
      state.current = null;
      await this.#beat();
    }
    if (current.cancelled) {
      await this.#publishCancelled(runId, attempt, 'RUN.CANCELLED', 'Cancelled by a user.');
      throw new UnrecoverableError('cancelled');
    }
    if (outcome.exitCode === 0 && outcome.finished) return;
    if (current.earlyStopped !== null) {
      await this.#publishCancelled(runId, attempt, 'RUN.EARLY_STOPPED', current.earlyStopped);
      return;
    }
    await this.#fail(job, runId, attempt, outcome);
  }

  /** Applies the sweep's early-stopping rule to an evaluation of its objective's split. */
  async #checkEarlyStop(state: SlotState, data: RunJob, event: Extract<TrainerEvent, { type: 'eval' }>): Promise<void> {
    const current = state.current;
    const parsed = earlyStoppingSchema.safeParse(data.earlyStopping);
    if (current === null || data.sweepId === null || !parsed.success) return;
    const [split, metric] = data.objective.metric.split('/');
    const value = (event.metrics as Record<string, number | null>)[metric ?? ''];
    if (split !== event.split || value === null || value === undefined) return;
    try {
      const decision = await this.#guard.report(
        data.sweepId,
        data.runId,
        event.epoch,
        value,
        parsed.data,
        data.objective.mode,
      );
      if (decision.stop && current.earlyStopped === null) {
        current.earlyStopped = decision.reason;
        this.#options.onLog?.(state.name, `early stop ${data.runId}: ${decision.reason}`);
        current.trainer.stop(10_000);
      }
    } catch (error) {
      this.#options.onLog?.(
        state.name,
        `early stopping check failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** A sweep place outlives a few missed heartbeats, then lapses (a killed worker frees it). */
  #placeTtlMs(): number {
    return Math.max(30_000, 3 * (this.#options.heartbeatMs ?? 5_000));
  }

  /** Decides between retry and final failure, reports it, and throws accordingly. */
  async #fail(job: Job<RunJob>, runId: string, attempt: number, outcome: TrainerOutcome): Promise<never> {
    const reported = outcome.failure?.error;
    const crash = `trainer exited with ${outcome.signal ?? `code ${outcome.exitCode}`}: ${outcome.stderrTail.slice(-5).join(' | ')}`;
    const code = reported?.code ?? (outcome.signal === 'SIGKILL' ? 'TRAIN.OUT_OF_MEMORY' : 'INTERNAL');
    const message = reported?.message ?? crash;
    const retryable = reported === undefined ? true : reported.retryable || this.#stopping;
    const attemptsLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
    if (retryable && (attemptsLeft || this.#stopping)) {
      await this.#publishWorker({
        type: 'run-requeued',
        runId,
        attempt,
        reason: `[${code}] ${message}`,
        time: Date.now(),
      });
      throw new LtlabError('TRAIN.INTERRUPTED', `[${code}] ${message}`);
    }
    await this.#publishWorker({
      type: 'run-ended',
      runId,
      attempt,
      status: 'failed',
      errorCode: code,
      errorMessage: message,
      time: Date.now(),
    });
    throw new UnrecoverableError(`[${code}] ${message}`);
  }

  async #forward(job: Job<RunJob>, state: SlotState, event: TrainerEvent): Promise<void> {
    const { gitCommit, gitDirty } = this.#options;
    const envelope: EventEnvelope = {
      id: `${event.runId}.${event.attempt}.${event.seq}`,
      source: 'trainer',
      event,
      context: {
        node: this.#node,
        slot: state.name,
        ...(gitCommit === undefined ? {} : { gitCommit }),
        ...(gitDirty === undefined ? {} : { gitDirty }),
      },
    };
    try {
      await publishEvent(this.#events, envelope);
      if (event.type === 'epoch' || event.type === 'eval')
        await job.updateProgress({ epoch: event.epoch, step: event.step });
    } catch (error) {
      this.#options.onLog?.(
        state.name,
        `could not forward ${event.type}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** A run that ends without failing: cancelled by a user or stopped early by the sweep's rule. */
  #publishCancelled(
    runId: string,
    attempt: number,
    errorCode: 'RUN.CANCELLED' | 'RUN.EARLY_STOPPED',
    errorMessage: string,
  ): Promise<void> {
    return this.#publishWorker({
      type: 'run-ended',
      runId,
      attempt,
      status: 'cancelled',
      errorCode,
      errorMessage,
      time: Date.now(),
    });
  }

  async #publishWorker(event: WorkerEvent): Promise<void> {
    const id =
      event.type === 'worker-heartbeat' || event.type === 'run-heartbeat'
        ? `${event.type}:${'workerId' in event ? event.workerId : event.runId}:${event.time}`
        : `${event.type}:${'runId' in event ? `${event.runId}:${event.attempt}` : event.workerId}`;
    await publishEvent(this.#events, { id, source: 'worker', event });
  }

  /** Unique per process: two workers on one node may both have a slot cpu0. */
  #workerId(state: SlotState): string {
    return `${this.#node}:${process.pid}:${state.name}`;
  }

  /**
   * One heartbeat per slot. Backend and device are what the slot's last trainer loaded (so a GPU
   * node that fell back to wasm shows it), before that the requested backend; a GPU slot's device
   * is its model from the driver; on webgpu followed by the Vulkan adapter the trainer opened and
   * its driver (tensorflow's device lists every GPU it saw, so it is left out). Memory is the GPU memory in use on a GPU slot's GPU, else the
   * running trainer's resident memory, else (idle slot) this supervisor's.
   */
  async #beat(): Promise<void> {
    const time = Date.now();
    const gpus = this.#slots.some((state) => state.slot.kind === 'gpu') ? await this.#probeGpus() : null;
    for (const state of this.#slots) {
      const { backend, device, memoryBytes } = this.#slotStatus(state, gpus);
      await this.#publishWorker({
        type: 'worker-heartbeat',
        workerId: this.#workerId(state),
        node: this.#node,
        slot: state.name,
        pid: process.pid,
        backend,
        device,
        memoryBytes,
        status: this.#stopping ? 'stopping' : state.current === null ? 'idle' : 'busy',
        currentRunId: state.current?.runId ?? null,
        time,
      });
      if (state.current !== null) {
        if (state.current.placeHeld && state.current.sweepId !== null) {
          await this.#guard.renew(state.current.sweepId, state.current.runId, this.#placeTtlMs());
        }
        await this.#publishWorker({
          type: 'run-heartbeat',
          runId: state.current.runId,
          attempt: state.current.attempt,
          time,
        });
      }
    }
    if (this.#options.healthFile !== undefined) writeFileSync(this.#options.healthFile, `${time}\n`);
  }

  #slotStatus(
    state: SlotState,
    gpus: readonly GpuStatus[] | null,
  ): { backend: string | null; device: string | null; memoryBytes: number | null } {
    const slot = state.slot;
    const gpu = slot.kind === 'gpu' ? gpus?.find((candidate) => candidate.index === slot.index) : undefined;
    // A busy slot whose trainer just exited (or is a zombie, which has no VmRSS) reports null, so
    // the store keeps the trainer's last figure instead of taking this supervisor's for it.
    const trainer = state.current?.trainer;
    const ownMemory = trainer === undefined ? process.memoryUsage().rss : null;
    const trainerRss = trainer?.pid === undefined ? null : processRssBytes(trainer.pid);
    return {
      backend: state.runtime?.backend ?? this.#options.backend ?? null,
      device:
        gpu === undefined
          ? (state.runtime?.device ?? this.#options.device ?? null)
          : state.runtime?.backend === 'webgpu' && state.runtime.device !== null
            ? `${describeGpu(gpu)}; ${state.runtime.device}`
            : describeGpu(gpu),
      memoryBytes: gpu?.memoryUsedBytes ?? trainerRss ?? ownMemory,
    };
  }

  /**
   * Graceful shutdown: take no new jobs, ask running trainers to stop (they keep their last
   * checkpoint), report their runs requeued, and exit once they are gone.
   */
  async close(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const state of this.#slots) state.current?.trainer.stop();
    await Promise.all(this.#slots.map((state) => state.worker.close()));
    clearInterval(this.#heartbeat);
    const time = Date.now();
    for (const state of this.#slots) {
      await this.#publishWorker({ type: 'worker-stopped', workerId: this.#workerId(state), time });
    }
    await this.#events.close();
    this.#subscriber.disconnect();
    this.#redis.disconnect();
  }
}
