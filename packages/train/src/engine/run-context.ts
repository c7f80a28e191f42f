import type { BestSelection, TrainerEvent } from '@ltlab/config';
import type { BestSoFar } from './best-selection.js';
import type { TrainingTask } from './training-task.js';

/** Distributes TrainerEvent without the fields the engine fills in itself. */
export type EventBody = TrainerEvent extends infer E
  ? E extends TrainerEvent
    ? Omit<E, 'runId' | 'attempt' | 'seq' | 'time' | 'epochBase'>
    : never
  : never;

/** Where a run stands; a checkpoint stores it and a resume restores it. */
export interface Progress {
  /** Periods (epochs) completed over all stages: also the 1-based number of the last one. */
  epoch: number;
  step: number;
  best: BestSoFar | null;
}

/** What the parts of `trainRun` share while one run trains. */
export interface RunContext {
  readonly task: TrainingTask;
  readonly totalEpochs: number;
  readonly progress: Progress;
  /** How `best.ckpt` is chosen. */
  readonly selection: BestSelection;
  readonly checkpointDir: string;
  /** Event paths are relative to it. */
  readonly artifactRoot: string;
  emit(body: EventBody): void;
  /** Notes the 1-based period being worked on, for a `failed` event. */
  working(epoch: number): void;
  readonly signal: AbortSignal | undefined;
  readonly onBatch:
    | ((progress: { epoch: number; totalEpochs: number; batch: number; batches: number; loss: number }) => void)
    | undefined;
}
