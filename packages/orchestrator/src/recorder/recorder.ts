import { parseOrThrow } from '@ltlab/core';
import type { RunStore } from '@ltlab/store';
import { type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, EVENTS_QUEUE, type QueueSettings } from '../queue/connection.js';
import { type EventEnvelope, eventEnvelopeSchema, type RunJob } from '../queue/payloads.js';
import { openRunsQueue } from '../queue/run-queue.js';
import { applyEvent, type ObjectiveLookup } from './apply-event.js';
import { continueSearchAfter } from './continue-search.js';

export interface RecorderOptions {
  settings: QueueSettings;
  store: RunStore;
  /** Called after each stored event (the dashboard's live updates hook in here). */
  onRecorded?: (envelope: EventEnvelope) => void;
  /**
   * One line per new Redis or queue error (repeats are left out until Redis is back); default:
   * stderr. Never a stack trace: while Redis is away events simply wait there.
   */
  log?: (line: string) => void;
}

/**
 * Consumes the durable `events` queue into the store, one event at a time in arrival order.
 * While it (or the database) is down, events wait in Redis; a failed write is retried with
 * backoff by the queue, and re-applying an event is harmless. When a run of a TPE sweep ends,
 * it suggests and enqueues the sweep's next runs (continue-search.ts) before the event counts
 * as recorded, so a crash in between retries the event, and with it the suggestion.
 */
export class Recorder {
  readonly #worker: Worker<EventEnvelope>;
  readonly #connection: Redis;
  readonly #runs: Queue<RunJob>;

  private constructor(worker: Worker<EventEnvelope>, connection: Redis, runs: Queue<RunJob>) {
    this.#worker = worker;
    this.#connection = connection;
    this.#runs = runs;
  }

  static start(options: RecorderOptions): Recorder {
    const objectiveOf = cachedObjectiveLookup(options.store);
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    let lastError: string | null = null;
    const report = (message: string) => {
      if (message === lastError) return;
      lastError = message;
      log(`recorder: ${message}`);
    };
    const connection = createRedis(options.settings, {
      role: 'blocking',
      onError: (failure) => report(`[${failure.code}] ${failure.message}`),
    });
    connection.on('ready', () => {
      if (lastError !== null) log('recorder: Redis is back; recording the waiting events.');
      lastError = null;
    });
    const runs = openRunsQueue(options.settings, connection);
    const search = { store: options.store, runs, redis: connection, prefix: options.settings.prefix };
    const worker = new Worker<EventEnvelope>(
      EVENTS_QUEUE,
      async (job) => {
        let envelope: EventEnvelope;
        try {
          envelope = parseOrThrow(eventEnvelopeSchema, job.data, `event ${job.id ?? '?'}`);
        } catch (error) {
          // A malformed event will never parse: keep it in the failed set for inspection.
          throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
        }
        await applyEvent(options.store, envelope, objectiveOf);
        await continueSearchAfter(search, envelope, report);
        options.onRecorded?.(envelope);
      },
      { connection, prefix: options.settings.prefix, concurrency: 1, autorun: true },
    );
    // Without a listener BullMQ prints each error with its stack; connection errors came through onError.
    worker.on('error', (error) => {
      if (!/ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable/.test(error.message)) {
        report(error.message);
      }
    });
    return new Recorder(worker, connection, runs);
  }

  /** Resolves once the recorder has connected to Redis. */
  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.#worker.close();
    await this.#runs.close();
    // BullMQ leaves a connection it was given open.
    this.#connection.disconnect();
  }
}

function cachedObjectiveLookup(store: RunStore): ObjectiveLookup {
  const cache = new Map<string, { metric: string; mode: 'max' | 'min' } | null>();
  return async (runId) => {
    if (cache.has(runId)) return cache.get(runId) ?? null;
    const run = await store.getRun(runId);
    const sweep = run?.sweepId == null ? null : await store.getSweep(run.sweepId);
    const objective = sweep === null ? null : { metric: sweep.objectiveMetric, mode: sweep.objectiveMode };
    cache.set(runId, objective);
    return objective;
  };
}
