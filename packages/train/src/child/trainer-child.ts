import type { Readable, Writable } from 'node:stream';
import { runConfigSchema, type TrainerEvent } from '@ltlab/config';
import { isLtlabError, parseOrThrow } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import { z } from 'zod';
import { trainRun } from '../engine/trainer.js';

/** What a worker sends a trainer child on stdin. */
export const trainerJobSchema = z.object({
  runId: z.string().min(1),
  attempt: z.number().int().min(1),
  config: runConfigSchema,
  runDir: z.string().min(1),
  artifactRoot: z.string().min(1),
  /** The sweep's objective: `best.ckpt` is chosen by its metric (test/top1 when absent). */
  objective: z.object({ metric: z.string(), mode: z.enum(['max', 'min']) }).optional(),
});
export type TrainerJob = z.input<typeof trainerJobSchema>;

/** Exit codes of a trainer child: the worker reads the error itself from the `failed` event. */
export const TRAINER_EXIT = { ok: 0, failed: 1, badJob: 2 } as const;

/**
 * The body of a trainer child process: read one job from stdin, train it (resuming from its
 * last checkpoint), write one JSON event per line to stdout. SIGTERM stops it after the current
 * step with TRAIN.INTERRUPTED; the checkpoints stay for the next attempt.
 */
export async function runTrainerChild(io: { stdin: Readable; stdout: Writable }): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  let job: z.output<typeof trainerJobSchema>;
  try {
    job = parseOrThrow(trainerJobSchema, JSON.parse(Buffer.concat(chunks).toString('utf8')), 'trainer job');
  } catch (error) {
    process.stderr.write(`${isLtlabError(error) ? error.describe() : String(error)}\n`);
    return TRAINER_EXIT.badJob;
  }
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  // A worker killed with SIGKILL cannot stop its child; the orphan notices it was re-parented (or
  // that its stdout is gone) and stops, so it never writes next to the attempt that replaces it.
  const parent = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent) controller.abort();
  }, 500);
  orphanCheck.unref();
  io.stdout.on('error', () => controller.abort());
  const runtime = await initRuntime();
  process.stderr.write(`backend: ${runtime.backend} (${runtime.reason})\n`);
  try {
    await trainRun({
      config: job.config,
      runId: job.runId,
      attempt: job.attempt,
      runDir: job.runDir,
      artifactRoot: job.artifactRoot,
      ...(job.objective === undefined ? {} : { objective: job.objective }),
      resume: true,
      signal: controller.signal,
      onEvent: (event) => {
        io.stdout.write(
          `${JSON.stringify(event.type === 'started' ? withDevice(event, runtime.device ?? null) : event)}\n`,
        );
      },
    });
    return TRAINER_EXIT.ok;
  } catch (error) {
    if (controller.signal.aborted && process.ppid !== parent) return TRAINER_EXIT.failed;
    process.stderr.write(`${isLtlabError(error) ? error.describe() : String(error)}\n`);
    return TRAINER_EXIT.failed;
  }
}

/** The runtime's device, on the `started` event and in its provenance (the engine knows only the backend). */
function withDevice(event: Extract<TrainerEvent, { type: 'started' }>, device: string | null): TrainerEvent {
  return {
    ...event,
    device,
    ...(event.provenance === undefined ? {} : { provenance: { ...event.provenance, device } }),
  };
}
