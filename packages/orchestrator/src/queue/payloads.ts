import { runConfigSchema, trainerEventSchema } from '@ltlab/config';
import { z } from 'zod';
import { dataSourceReportSchema } from '../worker/data-sources.js';

/** A job of the `runs` queue: one run to train. Re-parsed by the worker (queues cross versions). */
export const runJobSchema = z.object({
  runId: z.string().min(1),
  sweepId: z.string().nullable(),
  config: runConfigSchema,
  configHash: z.string(),
  objective: z.object({ metric: z.string(), mode: z.enum(['max', 'min']) }),
  earlyStopping: z.unknown().optional(),
  /** The sweep's limit on runs training at once. */
  maxConcurrency: z.number().int().positive().optional(),
});
export type RunJob = z.infer<typeof runJobSchema>;

/** Events a worker reports about itself and its runs (trainer events come from the child). */
export const workerEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('worker-heartbeat'),
    workerId: z.string(),
    node: z.string(),
    slot: z.string(),
    pid: z.number().int(),
    backend: z.string().nullable(),
    device: z.string().nullable(),
    memoryBytes: z.number().nullable(),
    status: z.enum(['idle', 'busy', 'stopping']),
    currentRunId: z.string().nullable(),
    /**
     * The data sets this worker's host can read, and where (checked at start and for each run,
     * not per beat). Absent from workers older than issue #23: the store keeps what it had.
     */
    dataSources: z.array(dataSourceReportSchema).optional(),
    time: z.number(),
  }),
  z.object({ type: z.literal('worker-stopped'), workerId: z.string(), time: z.number() }),
  /** The run keeps its place: it failed in a retryable way, or its worker shut down. */
  z.object({
    type: z.literal('run-requeued'),
    runId: z.string(),
    attempt: z.number().int().min(1),
    /** `[CODE] message`, as the run's console log shows it. */
    reason: z.string(),
    /** The error code of why the attempt ended (absent from workers before it was added). */
    code: z.string().optional(),
    time: z.number(),
  }),
  /** A final outcome the trainer could not report itself (crash, retries spent, cancellation). */
  z.object({
    type: z.literal('run-ended'),
    runId: z.string(),
    attempt: z.number().int().min(0),
    status: z.enum(['failed', 'cancelled']),
    errorCode: z.string(),
    errorMessage: z.string(),
    time: z.number(),
  }),
  /** The run's heartbeat while its trainer is alive. */
  z.object({ type: z.literal('run-heartbeat'), runId: z.string(), attempt: z.number().int().min(1), time: z.number() }),
]);
export type WorkerEvent = z.infer<typeof workerEventSchema>;

/** A job of the `events` queue; its id (also the BullMQ job id) makes re-delivery harmless. */
export const eventEnvelopeSchema = z.discriminatedUnion('source', [
  z.object({
    id: z.string(),
    source: z.literal('trainer'),
    event: trainerEventSchema,
    /** Where it ran, added by the worker (the trainer does not know). */
    context: z
      .object({
        node: z.string(),
        slot: z.string(),
        gitCommit: z.string().optional(),
        gitDirty: z.boolean().optional(),
      })
      .optional(),
  }),
  z.object({ id: z.string(), source: z.literal('worker'), event: workerEventSchema }),
]);
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;
