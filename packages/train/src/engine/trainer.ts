import { copyFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deriveSeed, LtlabError, parseOrThrow, toLtlabError } from '@ltlab/core';
import { BatchLoader, type DatasetSource } from '@ltlab/datasets';
import { classBalancedWeights, getLoss, type LossDefinition } from '@ltlab/losses';
import { createSampler } from '@ltlab/samplers';
import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config/run-config.js';
import { learningRateAt } from '../config/schedule.js';
import type { BestSelection, RejectedCheckpoint, TrainerEvent } from '../config/trainer-events.js';
import { type BestSoFar, bestSelection, improves, type Objective, sameSelection } from './best-selection.js';
import { bestCheckpointPath, epochCheckpointPath, pruneCheckpoints, writeCheckpoint } from './checkpoint-file.js';
import { parseCheckpointState } from './checkpoint-state.js';
import { type Evaluation, evaluate, firstPerClass } from './evaluate.js';
import { chooseResumeCheckpoint, resumeLogLines, setAside } from './resume-checkpoint.js';
import { Sgd, type SgdState } from './sgd.js';
import { buildTrainingData } from './training-data.js';
import { TrainingModel } from './training-model.js';

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
   * The sweep's objective (`test/few`, max): `best.ckpt` is chosen by its metric, on the
   * validation split when the config has one. Default `test/top1`, max.
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

interface Stage {
  name: string;
  epochs: number;
  method: RunConfig['method'];
  loss: LossDefinition;
  sampler: RunConfig['sampler'];
  optimizer: RunConfig['optimizer'];
  schedule: RunConfig['schedule'];
  freezeBackbone: boolean;
  reinitClassifier: boolean;
}

interface Progress {
  /** Epochs completed over all stages: also the 1-based number of the last one. */
  epoch: number;
  step: number;
  best: BestSoFar | null;
}

/**
 * Trains one run from its config: one loop for every method, the loss's `requires` deciding
 * what the network computes. Checkpoints after every `checkpoint.everyEpochs` epochs hold all
 * state (weights, BN statistics, optimizer buffers, queue, epoch and step), so a resumed run
 * continues exactly as the uninterrupted one: sampler orders and augmentations are functions of
 * (seed, epoch, position), and the learning rate of the epoch.
 */
export async function trainRun(options: TrainOptions): Promise<TrainResult> {
  const { config, runId } = options;
  const attempt = options.attempt ?? 1;
  let seq = 0;
  let progress: Progress = { epoch: 0, step: 0, best: null };
  /** The 1-based epoch being worked on, for a `failed` event. */
  let inProgress = 1;
  const log = options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Epochs count from 1 in every event; `epochBase` tells readers so (old trainers counted from 0).
  const emit = (body: EventBody) => {
    options.onEvent?.({ ...body, runId, attempt, seq: seq++, time: Date.now(), epochBase: 1 } as TrainerEvent);
  };
  const selection = bestSelection(config, options.objective);
  const checkpointDir = join(options.runDir, 'checkpoints');
  const artifactRoot = options.artifactRoot ?? join(options.runDir, '..');
  let model: TrainingModel | undefined;
  const optimizers: Sgd[] = [];
  try {
    const data = buildTrainingData(config.data);
    const validation = data.validation;
    const test =
      config.evaluation.maxPerClass === undefined ? data.test : firstPerClass(data.test, config.evaluation.maxPerClass);
    const stages = planStages(config);
    const mainLoss = (stages[0] as Stage).loss;
    const buildModel = () =>
      TrainingModel.build({ config, loss: mainLoss, numClasses: data.numClasses, imageShape: data.imageShape });
    model = buildModel();
    for (const stage of stages.slice(1)) checkStageFits(stage, mainLoss);
    const totalEpochs = stages.reduce((sum, stage) => sum + stage.epochs, 0);

    let resumedFrom: string | null = null;
    let rejectedCheckpoints: RejectedCheckpoint[] = [];
    let optimizerState: SgdState | null = null;
    if (options.resume === true) {
      const loading = model;
      let loadTried = false;
      const choice = chooseResumeCheckpoint(checkpointDir, (ref, contents) => {
        const state = parseCheckpointState(contents.state, ref.path);
        if (state.epoch > totalEpochs) {
          const reason = `holds epoch ${state.epoch}, past this run's ${totalEpochs} epochs`;
          throw new LtlabError('CONFIG.INVALID', `Checkpoint ${ref.path} ${reason}.`, { details: { reason } });
        }
        const weights = Object.fromEntries(
          Object.entries(contents.tensors).filter(([name]) => !name.startsWith('sgd/')),
        );
        loadTried = true;
        // Each module checks names and shapes (CONFIG.INVALID for another architecture) before it writes.
        loading.loadWeights(weights as Parameters<TrainingModel['loadWeights']>[0], state.queuePointer);
        const sgd: SgdState = Object.fromEntries(
          Object.entries(contents.tensors)
            .filter(([name]) => name.startsWith('sgd/'))
            .map(([name, t]) => [name.slice(4), { shape: t.shape, values: t.values as Float32Array }]),
        );
        return { state, sgd };
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
        optimizerState = value.sgd;
        // A best kept under another selection (a checkpoint of the old trainers) does not compare.
        const best = state.best !== null && sameSelection(state.best, selection) ? state.best : null;
        progress = { epoch: state.epoch, step: state.step, best };
        resumedFrom = relative(artifactRoot, ref.path);
      } else if (loadTried) {
        // A rejected checkpoint may have loaded some modules before failing: start from fresh weights.
        model.dispose();
        model = buildModel();
      }
    }
    const classCounts = tf.tensor1d(data.classCounts, 'int32');
    const built = model;
    /** Evaluates on one split (eval mode, test transforms) and reports it. */
    const scoreOn = async (split: BestSelection['split'], source: DatasetSource, epoch: number) => {
      const scored = await evaluate(built, source, {
        pipeline: config.data.transforms.test,
        batchSize: config.evaluation.batchSize,
        trainCounts: data.classCounts,
      });
      emit({
        type: 'eval',
        epoch,
        step: progress.step,
        split,
        metrics: shotsOf(scored),
        perClassAccuracy: scored.perClassAccuracy,
        trainCounts: Array.from(data.classCounts),
        confusion: scored.confusion,
      });
      return scored;
    };

    const firstBatchCount = Math.floor(data.train.size / config.batchSize);
    if (firstBatchCount < 1) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `batchSize ${config.batchSize} exceeds the ${data.train.size} training images.`,
        {
          fix: 'Lower batchSize.',
        },
      );
    }
    inProgress = progress.epoch + 1;
    emit({
      type: 'started',
      epoch: inProgress,
      step: progress.step,
      backend: tf.getBackend(),
      device: null,
      totalEpochs,
      stepsPerEpoch: firstBatchCount,
      resumedFrom,
      rejectedCheckpoints,
    });

    let final: Evaluation | null = null;
    let stageStart = 0;
    for (const [stageIndex, stage] of stages.entries()) {
      const stageEnd = stageStart + stage.epochs;
      if (progress.epoch >= stageEnd) {
        stageStart = stageEnd;
        continue;
      }
      const optimizer = new Sgd(stage.optimizer);
      optimizers.push(optimizer);
      if (optimizerState !== null && progress.epoch > stageStart) optimizer.loadState(optimizerState);
      optimizerState = null;
      if (stage.reinitClassifier && progress.epoch === stageStart)
        model.reinitClassifier(deriveSeed(config.seed, 'reinit', stageIndex));
      const sampler = createSampler(
        { seed: deriveSeed(config.seed, 'sampler', stageIndex), ...stage.sampler },
        { labels: data.train.labels, numClasses: data.numClasses },
      );
      const loader = new BatchLoader(data.train, {
        batchSize: config.batchSize,
        seed: deriveSeed(config.seed, 'augment', stageIndex),
        workers: options.loaderWorkers ?? 0,
        dropLast: true,
        sampler,
        transform: config.data.transforms.train,
      });
      const params = model.trainableParameters(stage.freezeBackbone);
      const variables = params.map(([, variable]) => variable);
      const lossOptions = parseOrThrow(
        stage.loss.schema,
        stage.method.options,
        `method.options of loss '${stage.loss.name}'`,
      );
      try {
        // `index` counts from 0 for the schedule, sampler and augmentation seeds (unchanged, so
        // results and resumption stay bit for bit); `epoch` is its 1-based number for events.
        for (let index = progress.epoch; index < stageEnd; index++) {
          const epoch = index + 1;
          inProgress = epoch;
          const stageEpoch = index - stageStart;
          const lr = learningRateAt(stage.schedule, stage.optimizer.lr, stageEpoch, stage.epochs);
          const drw = stage.method.drw;
          const classWeights =
            drw !== undefined && stageEpoch >= drw.startEpoch
              ? tf.tensor1d(classBalancedWeights(Array.from(data.classCounts), drw.beta), 'float32')
              : null;
          const started = performance.now();
          let lossSum = 0;
          let batches = 0;
          let images = 0;
          const batchesPerEpoch = loader.batchCount(sampler.length);
          for await (const batch of loader.epoch(index)) {
            // Batches built on this thread resolve as microtasks; yield so that signals, timers
            // and I/O (SIGTERM, an orphan check, queued stdout) are served between steps.
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (options.signal?.aborted === true) {
              throw new LtlabError('TRAIN.INTERRUPTED', `Run stopped during epoch ${epoch}.`, {
                fix: 'It resumes from its last checkpoint when started again.',
              });
            }
            const views = batch.views.map((view) => tf.tensor4d(view, batch.shape));
            const labels = tf.tensor1d(batch.labels, 'int32');
            const step = { views, labels };
            const extras = model.prepareStep(step, stage.loss.requires, classCounts, classWeights);
            const current = model;
            const { value, grads } = tf.variableGrads(
              () =>
                stage.loss.compute(
                  current.lossInputs(step, extras, stage.loss.requires, !stage.freezeBackbone),
                  lossOptions,
                ),
              variables,
            );
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
            optimizer.step(params, byName, lr);
            model.finishStep(step, extras);
            tf.dispose([value, ...Object.values(grads), ...views, labels]);
            lossSum += lossValue;
            batches++;
            images += batch.labels.length;
            progress.step++;
            options.onBatch?.({ epoch, totalEpochs, batch: batches, batches: batchesPerEpoch, loss: lossValue });
          }
          classWeights?.dispose();
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
          if (last || progress.epoch % config.evaluation.everyEpochs === 0) {
            const validated = validation === null ? null : await scoreOn('val', validation, epoch);
            final = await scoreOn('test', test, epoch);
            const value = (selection.split === 'val' ? validated : final)?.[selection.metric] ?? null;
            if (improves(progress.best, value, selection.mode)) {
              progress.best = { ...selection, value, epoch };
              improved = true;
            }
          }
          const due = last || progress.epoch % config.checkpoint.everyEpochs === 0;
          if (due || (improved && config.checkpoint.keepBest)) {
            await saveCheckpoints(model, optimizer, progress, {
              dir: checkpointDir,
              artifactRoot,
              keepLast: config.checkpoint.keepLast,
              epochFile: due,
              bestFile: improved && config.checkpoint.keepBest,
              improved,
              emit,
            });
          }
        }
      } finally {
        await loader.close();
      }
      stageStart = stageEnd;
    }
    classCounts.dispose();
    emit({
      type: 'finished',
      epoch: totalEpochs,
      step: progress.step,
      metrics: final === null ? null : shotsOf(final),
    });
    return { epochsRun: totalEpochs, final, best: progress.best };
  } catch (caught) {
    const error = toLtlabError(caught);
    emit({ type: 'failed', epoch: inProgress, step: progress.step, error: error.toJSON() });
    throw error;
  } finally {
    for (const optimizer of optimizers) optimizer.dispose();
    model?.dispose();
  }
}

function planStages(config: RunConfig): Stage[] {
  const main: Stage = {
    name: 'main',
    epochs: config.epochs,
    method: config.method,
    loss: getLoss(config.method.loss),
    sampler: config.sampler,
    optimizer: config.optimizer,
    schedule: config.schedule,
    freezeBackbone: false,
    reinitClassifier: false,
  };
  return [
    main,
    ...config.stages.map((stage) => {
      const method = stage.method ?? config.method;
      return {
        name: stage.name,
        epochs: stage.epochs,
        method,
        loss: getLoss(method.loss),
        sampler: stage.sampler ?? config.sampler,
        optimizer: stage.optimizer ?? config.optimizer,
        schedule: stage.schedule ?? config.schedule,
        freezeBackbone: stage.freezeBackbone,
        reinitClassifier: stage.reinitClassifier,
      };
    }),
  ];
}

/** A later stage reuses the network built for the first, so it may only need less of it. */
function checkStageFits(stage: Stage, main: LossDefinition): void {
  const need = stage.loss.requires;
  const have = main.requires;
  const missing =
    (need.branchLogits && !have.branchLogits) ||
    (need.momentumQueue && !have.momentumQueue) ||
    (need.features !== 'none' && have.features === 'none');
  if (missing) {
    throw new LtlabError(
      'CONFIG.UNSUPPORTED',
      `Stage '${stage.name}' uses loss '${stage.loss.name}', which needs parts the first stage's network lacks.`,
      {
        fix: 'Use a stage loss that needs only logits (e.g. cross-entropy, balanced-softmax).',
      },
    );
  }
}

function shotsOf(evaluation: Evaluation) {
  const { top1, top5, many, medium, few } = evaluation;
  return { top1, top5, many, medium, few };
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
async function saveCheckpoints(model: TrainingModel, optimizer: Sgd, progress: Progress, write: CheckpointWrite) {
  const [weights, optimizerState] = await Promise.all([model.exportWeights(), optimizer.exportState()]);
  const tensors: Parameters<typeof writeCheckpoint>[1]['tensors'] = { ...weights };
  for (const [name, entry] of Object.entries(optimizerState)) {
    tensors[`sgd/${name}`] = { shape: entry.shape, dtype: 'float32', values: entry.values };
  }
  const contents = {
    tensors,
    state: { epoch: progress.epoch, step: progress.step, best: progress.best, queuePointer: model.queue?.pointer ?? 0 },
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
