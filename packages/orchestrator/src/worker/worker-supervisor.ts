import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '@ltlab/config';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import type { DataSection } from '@ltlab/datasets';
import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { SweepGuard } from '../early-stopping/sweep-guard.js';
import { createRedis, type QueueSettings, RUNS_QUEUE } from '../queue/connection.js';
import { warnIfRedisNotDurable } from '../queue/durability.js';
import { type EventEnvelope, type RunJob, runJobSchema, type WorkerEvent } from '../queue/payloads.js';
import { shortReason } from '../queue/redis-failure.js';
import { RedisOutageWatch } from '../queue/redis-outage.js';
import { parseRedisUrl } from '../queue/redis-url.js';
import { keys, openEventsQueue, publishEvent } from '../queue/run-queue.js';
import { DEFAULT_REDIS_TIMEOUT_MS, waitForRedis } from '../queue/wait-for-redis.js';
import { earlyStoppingSchema } from '../sweep/sweep-spec.js';
import { CheckpointSync } from './checkpoint-sync.js';
import { ConsoleFile } from './console-file.js';
import { DataSourceCatalog } from './data-sources.js';
import { describeGpu, type GpuProbe, type GpuStatus, nvidiaSmiProbe, processRssBytes } from './device-probe.js';
import { EventOutbox } from './event-outbox.js';
import { type Slot, slotName } from './slots.js';
import { labelTrainerExit } from './trainer-exit.js';
import { type TrainerCommand, type TrainerOutcome, TrainerProcess } from './trainer-process.js';
import { withTimeout } from './with-timeout.js';

/** Where a run's events wait, in its run directory, when Redis did not take them in time. */
export const UNDELIVERED_EVENTS_FILE = 'undelivered-events.jsonl';

/** The prefix of the supervisor's own log lines (Redis status, events), beside the slot names. */
const SUPERVISOR_LOG = 'worker';

export interface WorkerSupervisorOptions {
  settings: QueueSettings;
  slots: readonly Slot[];
  /** How to start a trainer child (the CLI passes itself with `train-child`). */
  trainer: TrainerCommand;
  /** Shared artifact root: run directories live at `<root>/<run id>`. */
  artifactRoot: string;
  /**
   * Where checkpoints live beyond this host (the control host's artifact service): fetched before
   * a run starts when newer than the local copy, uploaded after each checkpoint event. Without
   * it, `artifactRoot` itself is the shared storage.
   */
  artifactStore?: ArtifactStore;
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
  /**
   * Lines the trainers log (stderr and non-event stdout), prefixed by slot, and the
   * supervisor's own (Redis status, kills, requeues) under `worker`.
   */
  onLog?: (slot: string, line: string) => void;
  /**
   * How long Redis may be unreachable, at start-up or later, before the worker gives up with
   * QUEUE.UNAVAILABLE (`fatal`); also how long an event may wait before its run is failed.
   */
  redisTimeoutMs?: number;
  /** Warn when Redis runs without AOF or with eviction (default true; `ltlab up` checks once, in serve). */
  checkDurability?: boolean;
  /**
   * The `data` sections of the recipes this worker may be given (the CLI reads configs/): their
   * paths join the well-known ones in the data-set report of the heartbeat (issue #23).
   */
  knownData?: readonly DataSection[];
}

interface SlotState {
  slot: Slot;
  name: string;
  worker: Worker<RunJob>;
  /** The client the BullMQ worker was given (it does not close a shared one). */
  connection: Redis;
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
    /** Set when its events could not reach Redis in time: the run fails with this error. */
    undeliverable: LtlabError | null;
    /** Resolves once the attempt's outcome is in the outbox (the trainer has exited). */
    settled: Promise<void>;
  } | null;
}

/**
 * The value an eval event reports for a sweep objective `split/metric`, or null when the event is
 * of another split or does not report it. Classification metrics (`top1`, `many`, ...) are the
 * event's `metrics`; segmentation ones (`mIoU`, `aAcc`, `mAcc`, `headIoU`, `bodyIoU`, `tailIoU`)
 * come from its `segmentation` block, as the recorder stores them (docs/segmentation.md).
 */
export function earlyStoppingValue(objective: string, event: Extract<TrainerEvent, { type: 'eval' }>): number | null {
  const [split, metric = ''] = objective.split('/');
  if (split !== event.split) return null;
  const segmentation = event.segmentation;
  if (segmentation !== undefined) {
    const scores: Record<string, number | null> = {
      mIoU: segmentation.mIoU,
      aAcc: segmentation.pixelAccuracy,
      mAcc: segmentation.meanClassAccuracy,
      headIoU: segmentation.frequencyGroups.head,
      bodyIoU: segmentation.frequencyGroups.body,
      tailIoU: segmentation.frequencyGroups.tail,
    };
    if (Object.hasOwn(scores, metric)) return scores[metric] ?? null;
  }
  const value = Object.hasOwn(event.metrics, metric) ? (event.metrics as Record<string, unknown>)[metric] : null;
  return typeof value === 'number' ? value : null;
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
  /** The events queue's own client: its commands fail at once while Redis is away (the outbox retries). */
  readonly #publisher: Redis;
  readonly #events: Queue<EventEnvelope>;
  readonly #outbox: EventOutbox;
  readonly #outage: RedisOutageWatch;
  readonly #slots: SlotState[] = [];
  readonly #node: string;
  readonly #probeGpus: GpuProbe;
  readonly #redisTimeoutMs: number;
  readonly #checkpoints: CheckpointSync | null;
  /** Which data sets this host has: checked at start and for each run, sent with every heartbeat. */
  readonly #dataSources: DataSourceCatalog;
  /** Resolves with a coded error when the worker must stop: Redis away too long, or refusing it. */
  readonly fatal: Promise<LtlabError>;
  #declareFatal: (error: LtlabError) => void = () => undefined;
  #fatalError: LtlabError | null = null;
  #heartbeat: NodeJS.Timeout | undefined;
  #beating = false;
  #stopping = false;
  #closing: Promise<void> | null = null;
  #abandoning: Promise<void> | null = null;

  private constructor(options: WorkerSupervisorOptions) {
    this.#options = options;
    this.#node = options.node ?? hostname();
    this.#probeGpus = options.probeGpus ?? nvidiaSmiProbe();
    this.#redisTimeoutMs = options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    this.#dataSources = new DataSourceCatalog({ node: this.#node, known: options.knownData ?? [] });
    this.#checkpoints =
      options.artifactStore === undefined
        ? null
        : new CheckpointSync({
            store: options.artifactStore,
            artifactRoot: options.artifactRoot,
            node: this.#node,
            log: (line) => this.#log(line),
          });
    this.fatal = new Promise((resolve) => {
      this.#declareFatal = resolve;
    });
    const onError = (failure: LtlabError) => this.#onRedisError(failure);
    this.#redis = createRedis(options.settings, { role: 'blocking', onError });
    this.#guard = new SweepGuard(this.#redis, options.settings.prefix);
    this.#subscriber = createRedis(options.settings, { role: 'blocking', onError });
    this.#publisher = createRedis(options.settings, { role: 'publisher', onError });
    this.#events = openEventsQueue(options.settings, this.#publisher);
    this.#outbox = new EventOutbox({
      publish: (envelope) => publishEvent(this.#events, envelope),
      deliveryTimeoutMs: this.#redisTimeoutMs,
      spillFile: (runId) => join(options.artifactRoot, runId, UNDELIVERED_EVENTS_FILE),
      log: (line) => this.#log(line),
      onUndeliverable: (runId, error) => this.#onUndeliverable(runId, error),
    });
    this.#outage = new RedisOutageWatch(this.#redis, {
      display: parseRedisUrl(options.settings.redisUrl).display,
      timeoutMs: this.#redisTimeoutMs,
      log: (line) => this.#log(line),
      onGiveUp: (error) => this.#giveUp(error),
    });
  }

  /**
   * Waits for Redis (retrying with backoff up to the Redis timeout, one status line per try),
   * warns about a server that may lose jobs, then starts one BullMQ worker per slot.
   */
  static async start(options: WorkerSupervisorOptions): Promise<WorkerSupervisor> {
    const log = (line: string) => options.onLog?.(SUPERVISOR_LOG, line);
    const probe = await waitForRedis(options.settings, {
      timeoutMs: options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS,
      log,
    });
    try {
      if (options.checkDurability ?? true) {
        await warnIfRedisNotDurable(probe, options.settings, log);
      }
    } finally {
      probe.disconnect();
    }
    const supervisor = new WorkerSupervisor(options);
    try {
      // Redis may go away again while the slots start: the Redis timeout bounds that too.
      await Promise.race([
        supervisor.#start(),
        supervisor.fatal.then((error) => {
          throw error;
        }),
      ]);
    } catch (error) {
      await supervisor.abandon();
      throw error;
    }
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
      const connection = createRedis(settings, { role: 'blocking', onError: (failure) => this.#onRedisError(failure) });
      const state: SlotState = {
        slot,
        name,
        runtime: null,
        current: null,
        connection,
        worker: undefined as unknown as Worker<RunJob>,
      };
      state.worker = new Worker<RunJob>(RUNS_QUEUE, (job, token) => this.#process(state, job, token), {
        connection,
        prefix: settings.prefix,
        concurrency: 1,
        lockDuration: this.#options.lockDurationMs ?? 30_000,
        stalledInterval: Math.max(1_000, Math.floor((this.#options.lockDurationMs ?? 30_000) / 2)),
        // A lost worker is not the run's fault: let stalled jobs come back many times.
        maxStalledCount: 20,
      });
      state.worker.on('error', (error) => {
        // While Redis is away the outage watch reports it, once per attempt; the rest is news.
        if (this.#outage.downSince === null && !CONNECTION_ERROR.test(error.message)) {
          this.#options.onLog?.(name, `queue error: ${error.message}`);
        }
      });
      this.#slots.push(state);
    }
    await Promise.all(this.#slots.map((state) => state.worker.waitUntilReady()));
    await this.#beat();
    this.#heartbeat = setInterval(() => void this.#beat(), this.#options.heartbeatMs ?? 5_000);
  }

  #log(line: string): void {
    this.#options.onLog?.(SUPERVISOR_LOG, line);
  }

  /** A refused setup (database, password, TLS) will not fix itself: the worker stops at once. */
  #onRedisError(failure: LtlabError): void {
    if (!failure.retryable) this.#giveUp(failure);
    else this.#outage.noteError(shortReason(failure));
  }

  #giveUp(error: LtlabError): void {
    if (this.#fatalError !== null) return;
    this.#fatalError = error;
    this.#declareFatal(error);
  }

  /** Events of a running run could not reach Redis in time: stop its trainer and fail the run. */
  #onUndeliverable(runId: string, error: LtlabError): void {
    for (const state of this.#slots) {
      if (state.current?.runId === runId && state.current.undeliverable === null) {
        state.current.undeliverable = error;
        state.current.trainer.stop(10_000);
      }
    }
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
    // Events an earlier worker could not deliver go first, in their order.
    await this.#outbox.replay(runId);
    const attempt = await this.#redis.incr(keys.attempt(prefix, runId));
    if ((await this.#redis.exists(keys.cancelled(prefix, runId))) === 1) {
      this.#publishCancelled(runId, attempt, 'RUN.CANCELLED', 'Cancelled before it started.');
      throw new UnrecoverableError('cancelled');
    }
    // Data this host lacks fails the run now, naming host, source, path and fix: no checkpoint
    // fetch, no trainer, no model (docs/deploy.md, "Data sets on every node").
    try {
      this.#dataSources.requireRunData(runId, data.config.data);
    } catch (error) {
      this.#failBeforeTrainer(state, job, runId, attempt, error);
    }
    const checkpoints = this.#checkpoints;
    if (checkpoints !== null) {
      // The newest checkpoint may be on the store only (another host trained the run before).
      await checkpoints
        .restore(runId)
        .catch((error: unknown) => this.#failBeforeTrainer(state, job, runId, attempt, error));
    }
    /** Held back until the run's uploads are done or failed: a finished run has its checkpoints stored. */
    let heldFinished: TrainerEvent | null = null;
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
        if (checkpoints !== null && event.type === 'checkpoint') {
          checkpoints.upload(runId, event.path);
          checkpoints.prune(runId, event.pruned);
        }
        if (checkpoints !== null && event.type === 'finished') {
          heldFinished = event;
          return;
        }
        this.#forward(job, state, event);
        if (event.type === 'eval') void this.#checkEarlyStop(state, data, event);
      },
      onLog: (line) => {
        this.#options.onLog?.(state.name, line);
        consoleLog.append(`[attempt ${attempt}] ${line}\n`);
      },
    });
    let settle: () => void = () => undefined;
    const current = {
      runId,
      sweepId: data.sweepId,
      attempt,
      trainer,
      cancelled: false,
      earlyStopped: null as string | null,
      placeHeld: data.sweepId !== null && data.maxConcurrency !== undefined,
      undeliverable: null as LtlabError | null,
      settled: new Promise<void>((resolve) => {
        settle = resolve;
      }),
    };
    state.current = current;
    void this.#beat();
    let outcome: TrainerOutcome;
    /** Set when the trainer finished but the store still lacks its checkpoints: not a success yet. */
    let unstored: LtlabError | null = null;
    try {
      outcome = await trainer.done;
      if (checkpoints !== null) {
        const finished = outcome.exitCode === 0 && outcome.finished && !current.cancelled;
        unstored = await this.#settleTransfers(checkpoints, runId, attempt, consoleLog, finished);
      }
      if (heldFinished !== null && unstored === null) this.#forward(job, state, heldFinished);
    } finally {
      state.current = null;
      void this.#beat();
    }
    try {
      if (unstored !== null) this.#failBeforeTrainer(state, job, runId, attempt, unstored);
      this.#settle(state, job, current, outcome);
    } finally {
      settle();
    }
  }

  /** Reports how an attempt ended (into the outbox) and throws what BullMQ should do with the job. */
  #settle(
    state: SlotState,
    job: Job<RunJob>,
    current: {
      runId: string;
      attempt: number;
      cancelled: boolean;
      earlyStopped: string | null;
      undeliverable: LtlabError | null;
    },
    outcome: TrainerOutcome,
  ): void {
    const { runId, attempt } = current;
    if (current.cancelled) {
      this.#publishCancelled(runId, attempt, 'RUN.CANCELLED', 'Cancelled by a user.');
      throw new UnrecoverableError('cancelled');
    }
    if (outcome.exitCode === 0 && outcome.finished) return;
    if (current.earlyStopped !== null) {
      this.#publishCancelled(runId, attempt, 'RUN.EARLY_STOPPED', current.earlyStopped);
      return;
    }
    if (current.undeliverable !== null) {
      const { code, message } = current.undeliverable;
      this.#endFailed(state, runId, attempt, code, message, 'failed');
    }
    this.#fail(state, job, runId, attempt, outcome);
  }

  /**
   * Waits for the run's checkpoint uploads (the run heartbeat goes on meanwhile); failures are
   * written to the run's console log (the run page shows it), then the log itself is uploaded.
   * After a finished trainer, uploads that ran out of retries are tried again; resolves with the
   * coded error when the store still lacks the run's newest checkpoints (null otherwise).
   */
  async #settleTransfers(
    checkpoints: CheckpointSync,
    runId: string,
    attempt: number,
    consoleLog: ConsoleFile,
    finished: boolean,
  ): Promise<LtlabError | null> {
    const failed = await checkpoints.settle(runId);
    for (const line of failed) {
      consoleLog.append(`[attempt ${attempt}] artifacts: ${line} (store ${checkpoints.location})\n`);
    }
    let unstored: LtlabError | null = null;
    if (finished) {
      try {
        await checkpoints.ensureStored(runId);
      } catch (error) {
        unstored =
          error instanceof LtlabError
            ? error
            : new LtlabError('CHECKPOINT.UNAVAILABLE', String(error), { cause: error });
        consoleLog.append(`[attempt ${attempt}] artifacts: [${unstored.code}] ${unstored.message}\n`);
      }
    }
    // A trainer that printed nothing has no console log.
    if (existsSync(join(this.#options.artifactRoot, runId, 'console.log'))) {
      checkpoints.upload(runId, `${runId}/console.log`);
      await checkpoints.settle(runId);
    }
    return unstored;
  }

  /** An attempt that failed outside its trainer (a checkpoint it could not fetch before, or store after): retried or ended as #fail does. */
  #failBeforeTrainer(state: SlotState, job: Job<RunJob>, runId: string, attempt: number, error: unknown): never {
    const coded =
      error instanceof LtlabError
        ? error
        : new LtlabError('INTERNAL', error instanceof Error ? error.message : String(error), { cause: error });
    const attempts = job.opts.attempts ?? 1;
    if (coded.retryable && (job.attemptsMade + 1 < attempts || this.#stopping)) {
      const reason = `[${coded.code}] ${coded.message}`;
      this.#options.onLog?.(state.name, `run ${runId} attempt ${attempt} requeued: ${reason}`);
      this.#publishWorker({ type: 'run-requeued', runId, attempt, reason, code: coded.code, time: Date.now() });
      throw new LtlabError('TRAIN.INTERRUPTED', reason);
    }
    const what = coded.retryable ? 'failed (no tries left)' : 'failed';
    this.#endFailed(
      state,
      runId,
      attempt,
      coded.code,
      `${coded.message}${coded.fix === undefined ? '' : ` ${coded.fix}`}`,
      what,
    );
  }

  /** Applies the sweep's early-stopping rule to an evaluation of its objective's split. */
  async #checkEarlyStop(state: SlotState, data: RunJob, event: Extract<TrainerEvent, { type: 'eval' }>): Promise<void> {
    const current = state.current;
    const parsed = earlyStoppingSchema.safeParse(data.earlyStopping);
    if (current === null || data.sweepId === null || !parsed.success) return;
    const value = earlyStoppingValue(data.objective.metric, event);
    if (value === null) return;
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

  /**
   * Decides between retry and final failure, reports it, and throws accordingly. The label says
   * what happened (the trainer's report, the signal or exit code; out of memory only when the
   * kernel or the trainer says so), and every kill and requeue gets a log line.
   */
  #fail(state: SlotState, job: Job<RunJob>, runId: string, attempt: number, outcome: TrainerOutcome): never {
    const reported = outcome.failure?.error;
    const { code, message, killed } = labelTrainerExit(outcome);
    const retryable = reported === undefined ? true : reported.retryable || this.#stopping;
    const attempts = job.opts.attempts ?? 1;
    const attemptsLeft = job.attemptsMade + 1 < attempts;
    const log = (line: string) => this.#options.onLog?.(state.name, line);
    if (killed) log(`run ${runId} attempt ${attempt}: trainer killed: [${code}] ${message}`);
    if (retryable && (attemptsLeft || this.#stopping)) {
      const why = this.#stopping
        ? 'the worker is stopping'
        : `${attempts - job.attemptsMade - 1} of ${attempts} tries left`;
      log(`run ${runId} attempt ${attempt} requeued (${why}): [${code}] ${message}`);
      this.#publishWorker({
        type: 'run-requeued',
        runId,
        attempt,
        reason: `[${code}] ${message}`,
        code,
        time: Date.now(),
      });
      throw new LtlabError('TRAIN.INTERRUPTED', `[${code}] ${message}`);
    }
    this.#endFailed(state, runId, attempt, code, message, retryable ? 'failed (no tries left)' : 'failed');
  }

  /** Logs and reports a run's final failure, and tells BullMQ not to try it again. */
  #endFailed(state: SlotState, runId: string, attempt: number, code: string, message: string, what: string): never {
    this.#options.onLog?.(state.name, `run ${runId} attempt ${attempt} ${what}: [${code}] ${message}`);
    this.#publishWorker({
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

  /** Hands a trainer event to the outbox (it keeps the order and retries) and updates the job's progress. */
  #forward(job: Job<RunJob>, state: SlotState, event: TrainerEvent): void {
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
    this.#outbox.push(envelope);
    if ((event.type === 'epoch' || event.type === 'eval') && this.#outage.downSince === null) {
      // Progress is a hint for BullMQ's UI; the events carry the record.
      void job.updateProgress({ epoch: event.epoch, step: event.step }).catch(() => undefined);
    }
  }

  /** A run that ends without failing: cancelled by a user or stopped early by the sweep's rule. */
  #publishCancelled(
    runId: string,
    attempt: number,
    errorCode: 'RUN.CANCELLED' | 'RUN.EARLY_STOPPED',
    errorMessage: string,
  ): void {
    this.#publishWorker({
      type: 'run-ended',
      runId,
      attempt,
      status: 'cancelled',
      errorCode,
      errorMessage,
      time: Date.now(),
    });
  }

  /** Run and worker events go through the outbox, in order with the trainer events. */
  #publishWorker(event: Exclude<WorkerEvent, { type: 'worker-heartbeat' | 'run-heartbeat' }>): void {
    const id = `${event.type}:${'runId' in event ? `${event.runId}:${event.attempt}` : event.workerId}`;
    this.#outbox.push({ id, source: 'worker', event });
  }

  /**
   * Heartbeats say "alive now": one that cannot be sent is skipped, not kept (the next one
   * replaces it), and a send that does not finish in time is given up.
   */
  async #publishHeartbeat(event: Extract<WorkerEvent, { type: 'worker-heartbeat' | 'run-heartbeat' }>): Promise<void> {
    const id = `${event.type}:${event.type === 'worker-heartbeat' ? event.workerId : event.runId}:${event.time}`;
    await withTimeout(publishEvent(this.#events, { id, source: 'worker', event }), HEARTBEAT_TIMEOUT_MS);
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
    // One beat at a time, and none while Redis is away (the outage watch reports that).
    if (this.#beating || this.#outage.downSince !== null || this.#fatalError !== null) return;
    this.#beating = true;
    try {
      await this.#beatOnce();
    } catch {
      // A lost beat is replaced by the next one; the health file is not touched, which is the signal.
    } finally {
      this.#beating = false;
    }
  }

  async #beatOnce(): Promise<void> {
    const time = Date.now();
    const gpus = this.#slots.some((state) => state.slot.kind === 'gpu') ? await this.#probeGpus() : null;
    for (const state of this.#slots) {
      const { backend, device, memoryBytes } = this.#slotStatus(state, gpus);
      await this.#publishHeartbeat({
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
        dataSources: this.#dataSources.report(),
        time,
      });
      if (state.current !== null) {
        if (state.current.placeHeld && state.current.sweepId !== null) {
          await withTimeout(
            this.#guard.renew(state.current.sweepId, state.current.runId, this.#placeTtlMs()),
            HEARTBEAT_TIMEOUT_MS,
          );
        }
        await this.#publishHeartbeat({
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
   * checkpoint), report their runs requeued, deliver the waiting events, and exit once the
   * trainers are gone. If Redis is away (or goes away meanwhile and stays away past the Redis
   * timeout) it abandons instead.
   */
  async close(): Promise<void> {
    if (this.#closing !== null) return await this.#closing;
    this.#stopping = true;
    const graceful = this.#closeGracefully();
    graceful.catch(() => undefined);
    this.#closing =
      this.#outage.downSince !== null || this.#fatalError !== null
        ? this.abandon()
        : Promise.race([graceful, this.fatal.then(() => this.abandon())]);
    return await this.#closing;
  }

  async #closeGracefully(): Promise<void> {
    for (const state of this.#slots) state.current?.trainer.stop();
    await Promise.all(this.#slots.map((state) => state.worker.close()));
    clearInterval(this.#heartbeat);
    const time = Date.now();
    for (const state of this.#slots) {
      this.#publishWorker({ type: 'worker-stopped', workerId: this.#workerId(state), time });
    }
    if (!(await this.#outbox.flush(EVENT_FLUSH_MS))) this.#spillOutbox();
    this.#outage.stop();
    await this.#events.close();
    this.#disconnectAll();
  }

  /**
   * Stops without Redis: trainers are asked to stop (they keep their last checkpoint), waiting
   * events are written to their runs' directories for the next attempt, and every client is
   * dropped. The runs' jobs stay in Redis; their locks lapse and another worker (or ltlab
   * serve's reaper) takes them up when Redis is back.
   */
  abandon(): Promise<void> {
    this.#abandoning ??= this.#abandon();
    return this.#abandoning;
  }

  async #abandon(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#heartbeat);
    this.#outage.stop();
    const running = this.#slots.flatMap((state) => (state.current === null ? [] : [state.current]));
    for (const current of running) current.trainer.stop(TRAINER_STOP_GRACE_MS);
    await Promise.all(running.map((current) => current.settled));
    this.#spillOutbox();
    await Promise.race([
      Promise.all(this.#slots.map((state) => state.worker.close(true).catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
    ]);
    this.#disconnectAll();
  }

  #spillOutbox(): void {
    const { spilled, lost } = this.#outbox.close();
    if (spilled > 0) {
      this.#log(
        `events: ${spilled} undelivered events written to ${UNDELIVERED_EVENTS_FILE} in their run directories; the next attempt of each run sends them first.`,
      );
    }
    if (lost > 0) this.#log(`events: ${lost} worker events (no run) could not be delivered.`);
  }

  #disconnectAll(): void {
    for (const client of [
      this.#publisher,
      this.#subscriber,
      this.#redis,
      ...this.#slots.map((state) => state.connection),
    ]) {
      client.disconnect();
    }
  }
}

/** Errors of a client whose connection is down, which the outage watch reports instead. */
const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|Connection is closed|Stream isn't writeable/;

const HEARTBEAT_TIMEOUT_MS = 5_000;
/** How long a graceful close waits for the outbox before writing what is left to the run directories. */
const EVENT_FLUSH_MS = 10_000;
/** Grace for a trainer to checkpoint and exit when the worker abandons (then SIGKILL). */
const TRAINER_STOP_GRACE_MS = 30_000;
