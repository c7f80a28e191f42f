import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig, TrainerEvent } from '@ltlab/config';
import { toLtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type BestSoFar, bestSelection, type Objective } from './best-selection.js';
import type { Evaluation } from './evaluate.js';
import type { Optimizer } from './optimizer.js';
import { type Resumption, resumeRun } from './resume-run.js';
import type { EventBody, RunContext } from './run-context.js';
import { runProvenance } from './run-provenance.js';
import { runStage } from './run-stage.js';
import { createTask } from './tasks.js';
import type { TaskEvaluation, TrainingTask } from './training-task.js';

/** The run's config, as parsed, in its run directory (beside `checkpoints/`). */
export const RUN_CONFIG_FILE = 'config.json';

export interface TrainOptions {
  config: RunConfig;
  runId: string;
  /** 1 for the first try; the worker counts retries. */
  attempt?: number;
  /** The run's directory: checkpoints go to `<runDir>/checkpoints`. */
  runDir: string;
  /** Event paths (checkpoints) are reported relative to this root; defaults to runDir's parent. */
  artifactRoot?: string;
  /**
   * Continue from the newest checkpoint in runDir that is intact and fits this config, if any.
   * Newer ones that do not are set aside as `<name>.rejected`, logged and listed in the
   * `started` event (`rejectedCheckpoints`).
   */
  resume?: boolean;
  /**
   * The sweep's objective (`test/few`, `test/mIoU`; max): `best.ckpt` is chosen by its metric, on
   * the validation split when the config has one. Without one, or for a metric the task does not
   * report: the task's main score, higher is better (top-1; mIoU for segmentation).
   */
  objective?: Objective;
  onEvent?: (event: TrainerEvent) => void;
  /** Per-batch progress (a terminal progress bar); `epoch` counts from 1. */
  onBatch?: (progress: { epoch: number; totalEpochs: number; batch: number; batches: number; loss: number }) => void;
  /** Aborting stops after the current step with TRAIN.INTERRUPTED; the last checkpoint stays. */
  signal?: AbortSignal;
  /** Loader worker threads (0: build batches on this thread). */
  loaderWorkers?: number;
  /** The trainer's log, one line per call (which checkpoint it resumed from, which it rejected); default stderr. */
  onLog?: (line: string) => void;
}

export interface TrainResult {
  epochsRun: number;
  final: Evaluation | null;
  /** The best evaluation by the run's selection, with its 1-based epoch. */
  best: BestSoFar | null;
}

/**
 * Trains one run from its config: one loop for every task and method. The config's task
 * (classification, segmentation) is resolved once into what it contributes (data, model outputs
 * and loss inputs, evaluation, weights; training-task.ts); the loop runs its stages, periods
 * (epochs, or blocks of iterations; run-stage.ts) and steps (train-step.ts), and owns events,
 * evaluation and checkpoint timing, best selection and resumption (resume-run.ts). Checkpoints
 * after every `checkpoint.everyEpochs` epochs (or `everyIterations` iterations) hold all state
 * (weights, BN statistics, optimizer buffers, queue, period and step), so a resumed run continues
 * exactly as the uninterrupted one: data orders and augmentations are functions of (seed, epoch,
 * position), the learning rate of the epoch or iteration, dropout of the iteration.
 */
export async function trainRun(options: TrainOptions): Promise<TrainResult> {
  const { config, runId } = options;
  const attempt = options.attempt ?? 1;
  let seq = 0;
  // Epochs count from 1 in every event; `epochBase` tells readers so (old trainers counted from 0).
  const emit = (body: EventBody) => {
    options.onEvent?.({ ...body, runId, attempt, seq: seq++, time: Date.now(), epochBase: 1 } as TrainerEvent);
  };
  const log = options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  const selection = bestSelection(config, options.objective);
  const checkpointDir = join(options.runDir, 'checkpoints');
  const artifactRoot = options.artifactRoot ?? join(options.runDir, '..');
  /** The 1-based period being worked on, and the step reached, for a `failed` event. */
  let inProgress = 1;
  let progress = { epoch: 0, step: 0, best: null as BestSoFar | null };
  let task: TrainingTask | undefined;
  const optimizers: Optimizer[] = [];
  try {
    // The config beside the checkpoints, so `ltlab eval <checkpoint>` can rebuild the model from them alone.
    mkdirSync(options.runDir, { recursive: true });
    writeFileSync(join(options.runDir, RUN_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    task = await createTask(config, { loaderWorkers: options.loaderWorkers ?? 0, log });
    const totalEpochs = task.stages.reduce((sum, stage) => sum + stage.periods, 0);
    const resumed: Resumption =
      options.resume === true
        ? resumeRun(task, { checkpointDir, artifactRoot, totalEpochs, selection, log })
        : { progress, optimizerState: null, resumedFrom: null, rejectedCheckpoints: [] };
    progress = resumed.progress;
    inProgress = progress.epoch + 1;
    const { resumedFrom, rejectedCheckpoints } = resumed;
    const stepsPerEpoch = task.stepsPerPeriod;
    emit({
      type: 'started',
      epoch: inProgress,
      step: progress.step,
      backend: tf.getBackend(),
      device: null,
      totalEpochs,
      stepsPerEpoch,
      resumedFrom,
      rejectedCheckpoints,
      provenance: runProvenance(),
    });
    const run: RunContext = {
      task,
      totalEpochs,
      progress,
      selection,
      checkpointDir,
      artifactRoot,
      emit,
      working: (epoch) => {
        inProgress = epoch;
      },
      signal: options.signal,
      onBatch: options.onBatch,
    };
    let final: TaskEvaluation | null = null;
    let start = 0;
    for (const stage of task.stages) {
      const span = { start, end: start + stage.periods };
      start = span.end;
      if (progress.epoch >= span.end) continue;
      const optimizer = stage.createOptimizer();
      optimizers.push(optimizer);
      // The resumed buffers belong to the stage the run stopped in, the first one it enters.
      const state = optimizers.length === 1 ? resumed.optimizerState : null;
      final = (await runStage(run, stage, span, optimizer, state)) ?? final;
    }
    emit({ type: 'finished', epoch: totalEpochs, step: progress.step, metrics: final?.event.metrics ?? null });
    return { epochsRun: totalEpochs, final: final?.evaluation ?? null, best: progress.best };
  } catch (caught) {
    const error = toLtlabError(caught);
    emit({ type: 'failed', epoch: inProgress, step: progress.step, error: error.toJSON() });
    throw error;
  } finally {
    for (const optimizer of optimizers) optimizer.dispose();
    task?.dispose();
  }
}
