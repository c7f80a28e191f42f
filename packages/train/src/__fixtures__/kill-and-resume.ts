import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfig, TrainerEvent } from '@ltlab/config';
import { expect } from 'vitest';
import { trainRun } from '../engine/trainer.js';
import { weightsOf } from './tiny-run-config.js';

export interface KillAndResume {
  /** Events of the run trained without interruption. */
  straight: TrainerEvent[];
  /** Events of the run killed after its first epoch's checkpoint, then of its resumption. */
  first: TrainerEvent[];
  resumed: TrainerEvent[];
  /** Newest checkpoint tensors of each run. */
  straightWeights: Record<string, number[]>;
  resumedWeights: Record<string, number[]>;
}

/**
 * Trains `config` once straight through, and once killed as soon as its first epoch's checkpoint
 * is written and then resumed, on the current backend. Checks the kill and the resumption happened
 * as meant; the caller compares the two runs.
 */
export async function trainKillAndResume(config: RunConfig): Promise<KillAndResume> {
  const root = mkdtempSync(join(tmpdir(), 'ltlab-resume-'));
  const straight: TrainerEvent[] = [];
  await trainRun({ config, runId: 'straight', runDir: join(root, 'straight'), onEvent: (e) => straight.push(e) });

  const controller = new AbortController();
  const first: TrainerEvent[] = [];
  await expect(
    trainRun({
      config,
      runId: 'resumed',
      runDir: join(root, 'resumed'),
      signal: controller.signal,
      onEvent: (e) => {
        first.push(e);
        if (e.type === 'checkpoint') controller.abort();
      },
    }),
  ).rejects.toMatchObject({ code: 'TRAIN.INTERRUPTED', retryable: true });
  expect(first.filter((e) => e.type === 'epoch')).toHaveLength(1);

  const resumed: TrainerEvent[] = [];
  await trainRun({
    config,
    runId: 'resumed',
    runDir: join(root, 'resumed'),
    resume: true,
    onEvent: (e) => resumed.push(e),
  });
  // Epochs count from 1: after epoch 1's checkpoint, epoch 2 is the first to run.
  expect(resumed[0]).toMatchObject({
    type: 'started',
    epoch: 2,
    resumedFrom: 'resumed/checkpoints/epoch-00001.ckpt',
  });
  return {
    straight,
    first,
    resumed,
    straightWeights: weightsOf(join(root, 'straight')),
    resumedWeights: weightsOf(join(root, 'resumed')),
  };
}

/** Each evaluation's epoch and metrics. */
export const evalsOf = (events: TrainerEvent[]) =>
  events.filter((e) => e.type === 'eval').map((e) => ({ epoch: e.epoch, metrics: e.metrics }));

/** Each epoch's training loss and learning rate. */
export const lossesOf = (events: TrainerEvent[]) =>
  events.flatMap((e) => (e.type === 'epoch' ? [[e.epoch, e.trainLoss, e.lr]] : []));
