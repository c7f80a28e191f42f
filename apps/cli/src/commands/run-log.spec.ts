import type { TrainerEvent } from '@ltlab/config';
import type { EventEnvelope } from '@ltlab/orchestrator';
import { describe, expect, it } from 'vitest';
import { coloursFor } from '../colours.js';
import { formatRunMoment, logRecordedRuns, momentOfEnvelope, momentOfTrainerEvent } from './run-log.js';

const plain = coloursFor({ isTTY: false }, {});
const base = { runId: 's-0123', attempt: 2, epochBase: 1 as const, seq: 0, step: 0, time: 0 };
const started = {
  ...base,
  type: 'started',
  epoch: 3,
  backend: 'webgpu',
  device: 'NVIDIA H100',
  totalEpochs: 8,
  stepsPerEpoch: 10,
  resumedFrom: 'x',
} as TrainerEvent;
const metrics = { top1: 0.5, top5: null, many: 0.6, medium: 0.5, few: 0.25 };
const finished = { ...base, type: 'finished', epoch: 8, metrics } as TrainerEvent;
const failed = {
  ...base,
  type: 'failed',
  epoch: 4,
  error: { code: 'TRAIN.NAN_LOSS', message: 'loss is NaN', retryable: false },
} as TrainerEvent;

describe('run log lines', () => {
  it("a worker's trainer: started, succeeded with the result, failed with the code (by run id)", () => {
    const line = (event: TrainerEvent) => {
      const moment = momentOfTrainerEvent(event);
      return moment === null ? null : formatRunMoment(moment, { id: event.runId }, plain);
    };
    expect(line(started)).toBe('run s-0123 started: attempt 2, 8 epochs, from epoch 3, webgpu (NVIDIA H100)');
    expect(line(finished)).toBe('run s-0123 succeeded: top-1 50.00%  many 60.00%  medium 50.00%  few 25.00%');
    expect(line(failed)).toBe('run s-0123 failed: [TRAIN.NAN_LOSS] loss is NaN');
    expect(line({ ...base, type: 'epoch' } as TrainerEvent)).toBeNull();
  });

  it("the recorder's view: where it started, and only the worker's verdict as failed, cancelled or requeued", () => {
    const context = { node: 'gpu-3', slot: 'gpu0' };
    const trainer = (event: TrainerEvent) => ({ id: 'e', source: 'trainer', event, context }) as EventEnvelope;
    const worker = (event: object) => ({ id: 'e', source: 'worker', event }) as EventEnvelope;
    const run = { id: 's-0123', label: 'lr=0.1 seed=1' };
    const line = (envelope: EventEnvelope) => {
      const moment = momentOfEnvelope(envelope);
      return moment === null ? null : formatRunMoment(moment, run, plain);
    };
    expect(line(trainer(started))).toBe(
      'run lr=0.1 seed=1 (s-0123) started on gpu-3/gpu0: attempt 2, 8 epochs, from epoch 3, webgpu (NVIDIA H100)',
    );
    expect(line(trainer(failed))).toBeNull();
    const ended = { type: 'run-ended', runId: 's-0123', attempt: 2, time: 0 };
    expect(line(worker({ ...ended, status: 'failed', errorCode: 'INTERNAL', errorMessage: 'crashed' }))).toBe(
      'run lr=0.1 seed=1 (s-0123) failed: [INTERNAL] crashed',
    );
    expect(
      line(worker({ ...ended, status: 'cancelled', errorCode: 'RUN.EARLY_STOPPED', errorMessage: 'median rule' })),
    ).toBe('run lr=0.1 seed=1 (s-0123) stopped early: median rule');
    expect(line(worker({ type: 'run-requeued', runId: 's-0123', attempt: 1, reason: 'worker stopped', time: 0 }))).toBe(
      'run lr=0.1 seed=1 (s-0123) requeued after attempt 1: worker stopped',
    );
    expect(line(worker({ type: 'run-heartbeat', runId: 's-0123', attempt: 1, time: 0 }))).toBeNull();
  });

  it('logRecordedRuns names runs by their stored label, looked up once per run', async () => {
    const lookups: string[] = [];
    const store = {
      getRun: async (id: string) => {
        lookups.push(id);
        return { label: 'ce' };
      },
    };
    const lines: string[] = [];
    const log = logRecordedRuns(store, (line) => lines.push(line), plain);
    log({ id: 'a', source: 'trainer', event: started } as EventEnvelope);
    log({ id: 'b', source: 'trainer', event: finished } as EventEnvelope);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(lines).toEqual([
      'run ce (s-0123) started: attempt 2, 8 epochs, from epoch 3, webgpu (NVIDIA H100)',
      'run ce (s-0123) succeeded: top-1 50.00%  many 60.00%  medium 50.00%  few 25.00%',
    ]);
    expect(lookups).toEqual(['s-0123']);
  });
});
