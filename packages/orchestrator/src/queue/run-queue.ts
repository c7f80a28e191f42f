import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { EVENTS_QUEUE, type QueueSettings, RUNS_QUEUE } from './connection.js';
import type { EventEnvelope, RunJob } from './payloads.js';

/** Retry policy of a run: transient faults retry with exponential backoff (docs/architecture.md §4). */
export const RUN_ATTEMPTS = 4;
export const RUN_BACKOFF_MS = 5_000;

/** Sweep priority 0-100 (higher first) to BullMQ's 1 (first) .. 101 (last). */
export function bullPriority(priority: number): number {
  return 101 - Math.max(0, Math.min(100, Math.round(priority)));
}

export function runJobOptions(runId: string, priority: number): JobsOptions {
  return {
    jobId: runId,
    priority: bullPriority(priority),
    attempts: RUN_ATTEMPTS,
    backoff: { type: 'exponential', delay: RUN_BACKOFF_MS },
    // The store keeps the outcome; Redis keeps only what is still to do.
    removeOnComplete: true,
    removeOnFail: true,
  };
}

export function openRunsQueue(settings: QueueSettings, connection: Redis): Queue<RunJob> {
  return new Queue<RunJob>(RUNS_QUEUE, { connection, prefix: settings.prefix });
}

export function openEventsQueue(settings: QueueSettings, connection: Redis): Queue<EventEnvelope> {
  return new Queue<EventEnvelope>(EVENTS_QUEUE, {
    connection,
    prefix: settings.prefix,
    defaultJobOptions: {
      // Events wait in Redis while the recorder or the database is down, and retry until stored.
      attempts: 50,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: false,
    },
  });
}

/** Enqueues one event; its id as job id makes a re-sent event a no-op (BullMQ ids cannot hold ':'). */
export async function publishEvent(queue: Queue<EventEnvelope>, envelope: EventEnvelope): Promise<void> {
  await queue.add(envelope.event.type, envelope, { jobId: envelope.id.replaceAll(':', '/') });
}

/** Redis keys beside the queues: cancellation, attempt counters, and sweep-wide state (SweepGuard). */
export const keys = {
  cancelled: (prefix: string, runId: string) => `${prefix}:ltlab:cancelled:${runId}`,
  cancelChannel: (prefix: string) => `${prefix}:ltlab:cancel`,
  attempt: (prefix: string, runId: string) => `${prefix}:ltlab:attempt:${runId}`,
  sweepActive: (prefix: string, sweepId: string) => `${prefix}:ltlab:sweep-active:${sweepId}`,
  objective: (prefix: string, sweepId: string) => `${prefix}:ltlab:objective:${sweepId}`,
};
