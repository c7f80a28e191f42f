import {
  appendFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { LtlabError } from '@ltlab/core';
import { type EventEnvelope, eventEnvelopeSchema } from '../queue/payloads.js';
import { seconds } from '../queue/wait-for-redis.js';
import { withTimeout } from './with-timeout.js';

export interface EventOutboxOptions {
  /** One try at publishing one event (publishEvent on the events queue). */
  publish: (envelope: EventEnvelope) => Promise<void>;
  /** A try that takes longer counts as failed (default 5 s). */
  attemptTimeoutMs?: number;
  /** Longest pause between tries (default 10 s). */
  maxBackoffMs?: number;
  /** An event of a run still undelivered after this long fails the run (`onUndeliverable`). */
  deliveryTimeoutMs: number;
  /** Most bytes of JSON kept in memory (default 64 MiB); beyond, a run's events go to its file. */
  maxBufferedBytes?: number;
  /** The file where a run's undelivered events wait (in its run directory) for the next attempt. */
  spillFile: (runId: string) => string;
  log: (line: string) => void;
  /** Called once per run whose events cannot be delivered in time (or did not fit in memory). */
  onUndeliverable: (runId: string, error: LtlabError) => void;
}

interface Pending {
  envelope: EventEnvelope;
  runId: string | null;
  bytes: number;
  since: number;
}

/**
 * The worker's events on their way to the durable `events` queue. Events are published one at
 * a time in the order they came, each retried with capped backoff until Redis takes it, so an
 * outage delays events and never drops or reorders them (their ids make a re-sent event a
 * no-op). Memory is bounded: a run whose events do not fit, or that still has events waiting
 * when the worker exits, gets them appended to a file in its run directory, which the next
 * attempt of the run publishes before its own (`replay`). A run whose events wait longer than the
 * delivery bound is failed visibly through `onUndeliverable`.
 */
export class EventOutbox {
  readonly #options: EventOutboxOptions;
  readonly #pending: Pending[] = [];
  /** Runs whose newer events go straight to their file, behind the ones already there. */
  readonly #spilling = new Set<string>();
  readonly #failedRuns = new Set<string>();
  #bytes = 0;
  #draining = false;
  #closed = false;
  #failingSince: number | null = null;
  #wake: (() => void) | null = null;
  #idle: Array<() => void> = [];

  constructor(options: EventOutboxOptions) {
    this.#options = options;
  }

  /** Events not yet taken by Redis (in memory). */
  get size(): number {
    return this.#pending.length;
  }

  /** Queues one event behind the others; never throws, never blocks. */
  push(envelope: EventEnvelope): void {
    const runId = runIdOf(envelope);
    const bytes = JSON.stringify(envelope).length;
    if (runId !== null && (this.#spilling.has(runId) || this.#closed)) {
      this.#appendToFile(runId, [envelope]);
      return;
    }
    if (runId !== null && this.#bytes + bytes > (this.#options.maxBufferedBytes ?? 64 * 1024 * 1024)) {
      // Its earlier events go to the file first, so the file keeps the run's order.
      const moved = this.#take(runId);
      this.#appendToFile(runId, [...moved, envelope]);
      this.#spilling.add(runId);
      this.#fail(
        runId,
        `${moved.length + 1} of its events did not fit in the worker's event buffer while Redis was not taking events; they wait in ${this.#options.spillFile(runId)}`,
      );
      return;
    }
    this.#pending.push({ envelope, runId, bytes, since: Date.now() });
    this.#bytes += bytes;
    this.#kick();
  }

  /**
   * Publishes, in order, the events an earlier attempt of the run left in its file (before this
   * attempt's own), then removes the file. Read line by line, so a long file does not fill
   * memory. If Redis does not take them within the delivery bound, the rest stay in the file
   * and this throws QUEUE.UNAVAILABLE (retryable: the job is tried again later).
   */
  async replay(runId: string): Promise<number> {
    const file = this.#options.spillFile(runId);
    this.#failedRuns.delete(runId);
    if (!existsSync(file)) {
      this.#spilling.delete(runId);
      return 0;
    }
    const taken = `${file}.${process.pid}.replaying`;
    renameSync(file, taken);
    const started = Date.now();
    let delivered = 0;
    const lines = createInterface({ input: createReadStream(taken, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    const left: string[] = [];
    let failure: unknown = null;
    for await (const line of lines) {
      if (failure !== null) {
        left.push(line);
        continue;
      }
      const parsed = eventEnvelopeSchema.safeParse(safeJson(line));
      if (!parsed.success) continue;
      failure = await this.#deliverWithin(parsed.data, started);
      if (failure === null) delivered += 1;
      else left.push(line);
    }
    if (failure !== null) {
      // What is left goes back in front of anything written meanwhile.
      const later = existsSync(file) ? readFileSync(file, 'utf8') : '';
      writeFileSync(file, `${left.join('\n')}\n${later}`);
      rmSync(taken, { force: true });
      throw new LtlabError(
        'QUEUE.UNAVAILABLE',
        `${left.length} events an earlier attempt of run ${runId} left in ${file} could not be delivered to Redis within ${seconds(this.#options.deliveryTimeoutMs)} (${failure instanceof Error ? failure.message : String(failure)}).`,
        { fix: 'Bring Redis back; the run is tried again and sends them first.', retryable: true, details: { runId } },
      );
    }
    rmSync(taken, { force: true });
    if (!existsSync(file)) this.#spilling.delete(runId);
    if (delivered > 0)
      this.#options.log(`events: delivered ${delivered} events an earlier attempt of ${runId} had left.`);
    return delivered;
  }

  /** One event, retried with backoff until delivered (null) or the bound since `started` passed (the error). */
  async #deliverWithin(envelope: EventEnvelope, started: number): Promise<unknown> {
    for (let failures = 0; ; ) {
      try {
        await withTimeout(this.#options.publish(envelope), this.#options.attemptTimeoutMs ?? 5_000);
        return null;
      } catch (error) {
        failures += 1;
        if (Date.now() - started >= this.#options.deliveryTimeoutMs) return error;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(250 * 2 ** (failures - 1), this.#options.maxBackoffMs ?? 10_000)),
        );
      }
    }
  }

  /** Resolves true once every event is delivered, false after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.#pending.length === 0) return true;
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Stops publishing and writes every waiting event of a run to the run's file, for its next
   * attempt. Events of no run (a worker's own) cannot wait anywhere and are counted as lost.
   */
  close(): { spilled: number; lost: number } {
    this.#closed = true;
    this.#wake?.();
    const byRun = new Map<string, EventEnvelope[]>();
    let lost = 0;
    for (const item of this.#pending.splice(0)) {
      if (item.runId === null) lost += 1;
      else byRun.set(item.runId, [...(byRun.get(item.runId) ?? []), item.envelope]);
    }
    this.#bytes = 0;
    let spilled = 0;
    for (const [runId, envelopes] of byRun) {
      // A spilling run's file holds newer events than these (its in-flight head): these go first.
      if (this.#spilling.has(runId)) this.#prependToFile(runId, envelopes);
      else this.#appendToFile(runId, envelopes);
      spilled += envelopes.length;
    }
    for (const resolve of this.#idle.splice(0)) resolve();
    return { spilled, lost };
  }

  #take(runId: string): EventEnvelope[] {
    const taken: EventEnvelope[] = [];
    for (let index = this.#pending.length - 1; index >= 0; index--) {
      const item = this.#pending[index] as Pending;
      // The head may be in flight: it stays, and a re-sent copy from the file is a no-op.
      if (item.runId !== runId || index === 0) continue;
      taken.unshift(item.envelope);
      this.#bytes -= item.bytes;
      this.#pending.splice(index, 1);
    }
    return taken;
  }

  #appendToFile(runId: string, envelopes: readonly EventEnvelope[]): void {
    if (envelopes.length === 0) return;
    const file = this.#options.spillFile(runId);
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, envelopes.map((envelope) => `${JSON.stringify(envelope)}\n`).join(''));
  }

  #prependToFile(runId: string, envelopes: readonly EventEnvelope[]): void {
    const file = this.#options.spillFile(runId);
    const later = existsSync(file) ? readFileSync(file, 'utf8') : '';
    rmSync(file, { force: true });
    this.#appendToFile(runId, envelopes);
    appendFileSync(file, later);
  }

  #fail(runId: string, why: string): void {
    if (this.#failedRuns.has(runId)) return;
    this.#failedRuns.add(runId);
    const error = new LtlabError(
      'QUEUE.UNAVAILABLE',
      `Events of run ${runId} could not be delivered to Redis: ${why}.`,
      {
        fix: 'Bring Redis back (its events are kept and sent once it answers), then retry the run: ltlab sweep retry.',
        retryable: false,
        details: { runId },
      },
    );
    this.#options.log(`[${error.code}] ${error.message}`);
    this.#options.onUndeliverable(runId, error);
  }

  #kick(): void {
    if (this.#draining || this.#closed) return;
    this.#draining = true;
    void this.#drain().finally(() => {
      this.#draining = false;
      if (this.#pending.length > 0 && !this.#closed) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    let failures = 0;
    while (this.#pending.length > 0 && !this.#closed) {
      const head = this.#pending[0] as Pending;
      try {
        await withTimeout(this.#options.publish(head.envelope), this.#options.attemptTimeoutMs ?? 5_000);
        if (this.#pending[0] === head) {
          this.#pending.shift();
          this.#bytes -= head.bytes;
        }
        if (this.#failingSince !== null) {
          this.#options.log(
            `events: Redis takes events again after ${seconds(Date.now() - this.#failingSince)}; ${this.#pending.length} still waiting, in order.`,
          );
          this.#failingSince = null;
        }
        failures = 0;
      } catch (error) {
        failures += 1;
        const reason = error instanceof Error ? error.message : String(error);
        if (this.#failingSince === null) {
          this.#failingSince = Date.now();
          this.#options.log(
            `events: cannot publish (${reason}); keeping ${this.#pending.length} events in order and retrying.`,
          );
        }
        this.#checkBound();
        await this.#sleep(Math.min(250 * 2 ** (failures - 1), this.#options.maxBackoffMs ?? 10_000));
      }
    }
    if (this.#pending.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Fails each run whose oldest waiting event is older than the delivery bound. */
  #checkBound(): void {
    const now = Date.now();
    for (const item of this.#pending) {
      if (item.runId === null || this.#failedRuns.has(item.runId)) continue;
      if (now - item.since >= this.#options.deliveryTimeoutMs) {
        this.#fail(
          item.runId,
          `its oldest event has waited ${seconds(now - item.since)} (the bound is ${seconds(this.#options.deliveryTimeoutMs)}); they are kept and sent when Redis answers`,
        );
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

function runIdOf(envelope: EventEnvelope): string | null {
  if (envelope.source === 'trainer') return envelope.event.runId;
  return 'runId' in envelope.event ? envelope.event.runId : null;
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
