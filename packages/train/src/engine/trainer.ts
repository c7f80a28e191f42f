import { copyFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RejectedCheckpoint, RunConfig, TrainerEvent } from '@ltlab/config';
import { LtlabError, toLtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type BestSoFar, bestSelection, improves, type Objective, sameSelection } from './best-selection.js';
import { bestCheckpointPath, epochCheckpointPath, pruneCheckpoints, writeCheckpoint } from './checkpoint-file.js';
import { parseCheckpointState } from './checkpoint-state.js';
import type { Evaluation } from './evaluate.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { chooseResumeCheckpoint, resumeLogLines, setAside } from './resume-checkpoint.js';
import { createTask } from './tasks.js';
import type { TaskEvaluation, TrainingTask } from './training-task.js';

/** Distributes TrainerEvent without the fields the engine fills in itself. */
type EventBody = TrainerEvent extends infer E
  ? E extends TrainerEvent
    ? Omit<E, 'runId' | 'attempt' | 'seq' | 'time' | 'epochBase'>
    : never
  : never;

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

interface Progress {
  /** Periods (epochs) completed over all stages: also the 1-based number of the last one. */
  epoch: number;
  step: number;
  best: BestSoFar | null;
}

/**
 * Trains one run from its config: one loop for every task and method. The config's task
 * (classification, segmentation) is resolved once into what it contributes (data, model outputs
 * and loss inputs, evaluation, weights; training-task.ts); the loop runs its periods (epochs, or
 * blocks of iterations) and steps, and owns events, evaluation and checkpoint timing, best
 * selection and resumption. Checkpoints after every `checkpoint.everyEpochs` epochs (or
 * `everyIterations` iterations) hold all state (weights, BN statistics, optimizer buffers, queue,
 * period and step), so a resumed run continues exactly as the uninterrupted one: data orders and
 * augmentations are functions of (seed, epoch, position), the learning rate of the epoch or
 * iteration, dropout of the iteration.
 */
export async function trainRun(options: TrainOptions): Promise<TrainResult> {
  const { config, runId } = options;
  const attempt = options.attempt ?? 1;
  let seq = 0;
  let progress: Progress = { epoch: 0, step: 0, best: null };
  /** The 1-based period being worked on, for a `failed` event. */
  let inProgress = 1;
  const log = options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Epochs count from 1 in every event; `epochBase` tells readers so (old trainers counted from 0).
  const emit = (body: EventBody) => {
    options.onEvent?.({ ...body, runId, attempt, seq: seq++, time: Date.now(), epochBase: 1 } as TrainerEvent);
  };
  const selection = bestSelection(config, options.objective);
  const checkpointDir = join(options.runDir, 'checkpoints');
  const artifactRoot = options.artifactRoot ?? join(options.runDir, '..');
  let task: TrainingTask | undefined;
  const optimizers: Optimizer[] = [];
  try {
    task = await createTask(config, { loaderWorkers: options.loaderWorkers ?? 0, log });
    const totalEpochs = task.stages.reduce((sum, stage) => sum + stage.periods, 0);
    const statePrefix = `${task.optimizerStateName}/`;

    let resumedFrom: string | null = null;
    let rejectedCheckpoints: RejectedCheckpoint[] = [];
    let optimizerState: OptimizerState | null = null;
    if (options.resume === true) {
      const loading = task;
      let loadTried = false;
      const choice = chooseResumeCheckpoint(checkpointDir, (ref, contents) => {
        const state = parseCheckpointState(contents.state, ref.path);
        if (state.epoch > totalEpochs) {
          const reason = `holds epoch ${state.epoch}, past this run's ${totalEpochs} epochs`;
          throw new LtlabError('CONFIG.INVALID', `Checkpoint ${ref.path} ${reason}.`, { details: { reason } });
        }
        const weights = Object.fromEntries(
          Object.entries(contents.tensors).filter(([name]) => !name.startsWith(statePrefix)),
        );
        loadTried = true;
        // Each module checks names and shapes (CONFIG.INVALID for another architecture) before it writes.
        loading.loadWeights(weights as Parameters<TrainingTask['loadWeights']>[0], state);
        const buffers: OptimizerState = Object.fromEntries(
          Object.entries(contents.tensors)
            .filter(([name]) => name.startsWith(statePrefix))
            .map(([name, t]) => [name.slice(statePrefix.length), { shape: t.shape, values: t.values as Float32Array }]),
        );
        return { state, buffers };
      });
      const movedTo = choice.rejected.map(setAside);
      for (const line of resumeLogLines(choice, movedTo)) log(line);
      rejectedCheckpoints = choice.rejected.map(({ path, code, reason }) => ({
        file: relative(artifactRoot, path),
        code,
        reason,
      }));
      if (choice.chosen !== null) {
        const { ref, value } = choice.chosen;
        const state = value.state;
        optimizerState = value.buffers;
        // A best kept under another selection (a checkpoint of the old trainers) does not compare.
        const best = state.best !== null && sameSelection(state.best, selection) ? state.best : null;
        progress = { epoch: state.epoch, step: state.step, best };
        resumedFrom = relative(artifactRoot, ref.path);
      } else if (loadTried) {
        // A rejected checkpoint may have loaded some modules before failing: start from fresh weights.
        task.rebuild();
      }
    }
    const built = task;
    /** Evaluates on one split and reports it. */
    const scoreOn = async (split: 'val' | 'test', evaluate: () => Promise<TaskEvaluation>, epoch: number) => {
      const scored = await evaluate();
      emit({ type: 'eval', epoch, step: progress.step, split, ...scored.event });
      return scored;
    };

    inProgress = progress.epoch + 1;
    emit({
      type: 'started',
      epoch: inProgress,
      step: progress.step,
      backend: tf.getBackend(),
      device: null,
      totalEpochs,
      stepsPerEpoch: task.stepsPerPeriod,
      resumedFrom,
      rejectedCheckpoints,
    });

    let final: TaskEvaluation | null = null;
    let stageStart = 0;
    for (const stage of task.stages) {
      const stageEnd = stageStart + stage.periods;
      if (progress.epoch >= stageEnd) {
        stageStart = stageEnd;
        continue;
      }
      const optimizer = stage.createOptimizer();
      optimizers.push(optimizer);
      if (optimizerState !== null && progress.epoch > stageStart) optimizer.loadState(optimizerState);
      optimizerState = null;
      if (progress.epoch === stageStart) stage.begin();
      const data = stage.open();
      const params = stage.parameters();
      const variables = params.map(([, variable]) => variable);
      try {
        // `index` counts from 0 (seeds and schedules); `epoch` is its 1-based number for events.
        for (let index = progress.epoch; index < stageEnd; index++) {
          const epoch = index + 1;
          inProgress = epoch;
          const period = data.period(index, progress.step);
          const started = performance.now();
          let lossSum = 0;
          let batches = 0;
          let images = 0;
          let lr = period.lr;
          try {
            for await (const batch of period.batches) {
              // Batches built on this thread resolve as microtasks; yield so that signals, timers
              // and I/O (SIGTERM, an orphan check, queued stdout) are served between steps.
              await new Promise<void>((resolve) => setImmediate(resolve));
              if (options.signal?.aborted === true) {
                throw new LtlabError('TRAIN.INTERRUPTED', `Run stopped during epoch ${epoch}.`, {
                  fix: 'It resumes from its last checkpoint when started again.',
                });
              }
              const step = batch.start();
              const { value, grads } = tf.variableGrads(() => step.loss(), variables);
              // Read asynchronously: a GPU backend (webgpu in Node) cannot read synchronously.
              const lossValue = ((await value.data()) as Float32Array)[0] as number;
              if (!Number.isFinite(lossValue)) {
                throw new LtlabError(
                  'TRAIN.NAN_LOSS',
                  `The loss is ${lossValue} at step ${progress.step + 1} (epoch ${epoch}).`,
                  {
                    fix: 'Lower optimizer.lr or check the data; the run stops rather than train on garbage.',
                    details: { step: progress.step + 1, epoch },
                  },
                );
              }
              const byName: Record<string, tf.Tensor> = {};
              params.forEach(([name, variable]) => {
                const grad = grads[variable.name];
                if (grad !== undefined) byName[name] = grad;
              });
              optimizer.step(params, byName, step.lr);
              step.finish();
              tf.dispose([value, ...Object.values(grads)]);
              lr = step.lr;
              lossSum += lossValue;
              batches++;
              images += batch.images;
              progress.step++;
              options.onBatch?.({ epoch, totalEpochs, batch: batches, batches: period.stepCount, loss: lossValue });
            }
          } finally {
            period.dispose();
          }
          const seconds = (performance.now() - started) / 1000;
          progress.epoch = epoch;
          emit({
            type: 'epoch',
            epoch,
            step: progress.step,
            stage: stage.name,
            trainLoss: lossSum / Math.max(1, batches),
            lr,
            imagesPerSecond: images / Math.max(seconds, 1e-9),
            seconds,
          });
          const last = progress.epoch === totalEpochs;
          let improved = false;
          if (last || progress.epoch % task.evaluateEveryPeriods === 0) {
            const scored = new Map<string, TaskEvaluation>();
            for (const { split, evaluate } of task.evaluations)
              scored.set(split, await scoreOn(split, evaluate, epoch));
            final = scored.get('test') ?? final;
            const value = scored.get(selection.split)?.values[selection.metric] ?? null;
            if (improves(progress.best, value, selection.mode)) {
              progress.best = { ...selection, value, epoch };
              improved = true;
            }
          }
          const { everyPeriods, keepLast, keepBest } = task.checkpoint;
          const due = last || progress.epoch % everyPeriods === 0;
          if (due || (improved && keepBest)) {
            await saveCheckpoints(built, optimizer, progress, {
              dir: checkpointDir,
              artifactRoot,
              keepLast,
              epochFile: due,
              bestFile: improved && keepBest,
              improved,
              emit,
            });
          }
        }
      } finally {
        await data.close();
      }
      stageStart = stageEnd;
    }
    emit({
      type: 'finished',
      epoch: totalEpochs,
      step: progress.step,
      metrics: final === null ? null : final.event.metrics,
    });
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

interface CheckpointWrite {
  dir: string;
  artifactRoot: string;
  keepLast: number;
  /** Write this epoch's resumable file (a `checkpoint.everyEpochs` epoch, or the last). */
  epochFile: boolean;
  /** Write `best.ckpt` (the epoch improved on the best and `keepBest` is set). */
  bestFile: boolean;
  improved: boolean;
  emit: (body: EventBody) => void;
}

/**
 * Writes this epoch's file and/or `best.ckpt` and reports each as a `checkpoint` event; the
 * epoch files `keepLast` deletes are listed in the epoch file's event, so views show only what
 * is on disk. Tensors are read asynchronously (a GPU backend cannot read synchronously); the
 * files are written synchronously.
 */
async function saveCheckpoints(task: TrainingTask, optimizer: Optimizer, progress: Progress, write: CheckpointWrite) {
  const [weights, optimizerState] = await Promise.all([task.exportWeights(), optimizer.exportState()]);
  const tensors: Parameters<typeof writeCheckpoint>[1]['tensors'] = { ...weights };
  for (const [name, entry] of Object.entries(optimizerState)) {
    tensors[`${optimizer.stateName}/${name}`] = { shape: entry.shape, dtype: 'float32', values: entry.values };
  }
  const contents = {
    tensors,
    state: { epoch: progress.epoch, step: progress.step, best: progress.best, ...task.checkpointState() },
  };
  const best = progress.best;
  const selection =
    best === null ? null : { metric: best.metric, split: best.split, mode: best.mode, value: best.value };
  const report = (
    path: string,
    written: { sizeBytes: number; sha256: string },
    file: 'epoch' | 'best',
    pruned: string[],
  ) =>
    write.emit({
      type: 'checkpoint',
      epoch: progress.epoch,
      step: progress.step,
      path: relative(write.artifactRoot, path),
      sizeBytes: written.sizeBytes,
      sha256: written.sha256,
      best: write.improved,
      file,
      pruned: pruned.map((removed) => relative(write.artifactRoot, removed)),
      selection,
    });
  let epochPath: string | null = null;
  let written: { sizeBytes: number; sha256: string } | null = null;
  if (write.epochFile) {
    epochPath = epochCheckpointPath(write.dir, progress.epoch);
    written = writeCheckpoint(epochPath, contents);
    report(epochPath, written, 'epoch', pruneCheckpoints(write.dir, write.keepLast));
  }
  if (write.bestFile) {
    const bestPath = bestCheckpointPath(write.dir);
    if (epochPath !== null && written !== null) {
      // The same bytes: copy the epoch file, through a temp name so a crash never leaves a torn best.ckpt.
      const temp = `${bestPath}.tmp-${process.pid}`;
      copyFileSync(epochPath, temp);
      renameSync(temp, bestPath);
    } else written = writeCheckpoint(bestPath, contents);
    report(bestPath, written, 'best', []);
  }
}
