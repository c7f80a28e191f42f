import type { WeightMap } from '@ltlab/backbones';
import type { SegmentationEvaluation } from '@ltlab/metrics';
import type * as tf from '@tensorflow/tfjs-core';
import type { CheckpointState } from './checkpoint-state.js';
import type { Evaluation } from './evaluate.js';
import type { NamedParameter, Optimizer } from './optimizer.js';

/**
 * What a kind of run (a task: classification, segmentation) contributes to the one training loop
 * of `trainRun` (docs/segmentation.md "Training"): its data (the batches of each period), its
 * model outputs and loss inputs (the loss of each step), its evaluation and its weights. The loop
 * owns everything else: the order of periods and steps, gradients, the optimizer step, events,
 * evaluation and checkpoint timing, best selection and resumption. It never asks which task or
 * which method it runs.
 *
 * A period is the unit the loop reports, evaluates and checkpoints at: an epoch of a
 * classification run, `periodIterations` iterations of a segmentation run.
 */
export interface TrainingTask {
  readonly stages: readonly TaskStage[];
  /** Optimizer steps per period of the first stage (the `started` event's `stepsPerEpoch`). */
  readonly stepsPerPeriod: number;
  /** Evaluate after every N periods (and after the last). */
  readonly evaluateEveryPeriods: number;
  readonly checkpoint: { everyPeriods: number; keepLast: number; keepBest: boolean };
  /** The splits scored at each evaluation, in order (`val` before `test` when there is one). */
  readonly evaluations: ReadonlyArray<{ split: 'val' | 'test'; evaluate: () => Promise<TaskEvaluation> }>;
  /** Where the optimizers of this task keep their state in a checkpoint (`sgd`, `adamw`). */
  readonly optimizerStateName: string;
  /** Every tensor of the network by prefixed name, as a checkpoint stores it. */
  exportWeights(): Promise<WeightMap>;
  /** Loads a checkpoint's network tensors; CONFIG.INVALID (another architecture) before writing a module. */
  loadWeights(weights: WeightMap, state: CheckpointState): void;
  /** State a checkpoint keeps beside the tensors (the momentum queue's pointer). */
  checkpointState(): { queuePointer: number };
  /** Fresh weights again, after a rejected checkpoint loaded some modules before failing. */
  rebuild(): void;
  dispose(): void;
}

/** A part of the run with its own optimizer and data order (classification's later stages, e.g. cRT). */
export interface TaskStage {
  readonly name: string;
  readonly periods: number;
  /** The parameters its optimizer updates (a frozen trunk leaves only the classifier). */
  parameters(): NamedParameter[];
  createOptimizer(): Optimizer;
  /** Called once when the stage begins at its first period (not when a run resumes inside it). */
  begin(): void;
  /** Opens the stage's data (loader threads); closed when the stage ends or the run stops. */
  open(): StageData;
}

export interface StageData {
  /** Period `index` (0-based over the whole run), which starts after `step` optimizer steps. */
  period(index: number, step: number): TaskPeriod;
  close(): Promise<void>;
}

export interface TaskPeriod {
  /** Steps in the period (a progress bar's total). */
  readonly stepCount: number;
  /** The learning rate reported for the period when it has no step. */
  readonly lr: number;
  readonly batches: AsyncIterable<TaskBatch>;
  /** Releases what the period holds. */
  dispose(): void;
}

/** One batch of a period, before its tensors exist (so a stop between steps allocates nothing). */
export interface TaskBatch {
  /** Images it trains on (throughput). */
  readonly images: number;
  /** Its tensors and whatever is prepared outside the gradient (momentum keys). */
  start(): TaskStep;
}

export interface TaskStep {
  /** The learning rate of this step. */
  readonly lr: number;
  /** The scalar loss, computed inside the gradient tape. */
  loss(): tf.Scalar;
  /** After the optimizer step: queue updates; then the step's tensors are released. */
  finish(): void;
}

/** One evaluation of one split. */
export interface TaskEvaluation {
  /** What `trainRun` returns as `final`. */
  evaluation: Evaluation;
  /** The scores of the `eval` event. */
  event: {
    metrics: { top1: number; top5: number | null; many: number | null; medium: number | null; few: number | null };
    perClassAccuracy: number[];
    trainCounts: number[];
    confusion: number[][] | null;
    segmentation?: SegmentationEvaluation;
  };
  /** The value of each metric a best checkpoint can be chosen by (null: undefined here). */
  values: Readonly<Record<string, number | null>>;
}

/** What building a task may use besides its config. */
export interface TaskContext {
  /** Loader worker threads (0: build batches on this thread). */
  loaderWorkers: number;
  /** The trainer's log, one line per call. */
  log: (line: string) => void;
}
