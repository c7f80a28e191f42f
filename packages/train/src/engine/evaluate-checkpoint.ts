import type { RunConfig } from '@ltlab/config';
import { LtlabError } from '@ltlab/core';
import { readCheckpoint } from './checkpoint-file.js';
import { parseCheckpointState } from './checkpoint-state.js';
import { createTask } from './tasks.js';
import type { TaskEvaluation, TrainingTask } from './training-task.js';

export interface CheckpointEvaluationOptions {
  /** The config the checkpoint was trained with, its `data` block replaced to score on another test set. */
  config: RunConfig;
  /** An `epoch-NNNNN.ckpt` or `best.ckpt` file. */
  checkpoint: string;
  /** Loader worker threads (0: build batches on this thread). */
  loaderWorkers?: number;
  log?: (line: string) => void;
}

export interface CheckpointEvaluation {
  /** The 1-based epoch the checkpoint holds. */
  epoch: number;
  /** The scores, as the trainer's `eval` event reports them (segmentation's in `segmentation`). */
  event: TaskEvaluation['event'];
}

/**
 * Scores a saved checkpoint on the test split of `config` (`ltlab eval`, docs/evaluation.md): the
 * run's task is built from its config as training builds it, the checkpoint's network tensors
 * (not its optimizer buffers) are loaded, and the test split is evaluated exactly as the trainer's
 * evaluation after an epoch does, so the best or last checkpoint of a run scores what its
 * evaluation at that epoch reported. A damaged file is CHECKPOINT.CORRUPT naming it; a checkpoint
 * of another architecture is CONFIG.INVALID.
 */
export async function evaluateCheckpoint(options: CheckpointEvaluationOptions): Promise<CheckpointEvaluation> {
  const contents = readCheckpoint(options.checkpoint);
  const state = parseCheckpointState(contents.state, options.checkpoint);
  let task: TrainingTask | undefined;
  try {
    task = await createTask(options.config, {
      loaderWorkers: options.loaderWorkers ?? 0,
      log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    });
    const statePrefix = `${task.optimizerStateName}/`;
    const weights = Object.fromEntries(
      Object.entries(contents.tensors).filter(([name]) => !name.startsWith(statePrefix)),
    );
    task.loadWeights(weights as Parameters<TrainingTask['loadWeights']>[0], state);
    const test = task.evaluations.find((evaluation) => evaluation.split === 'test');
    if (test === undefined)
      throw new LtlabError('CONFIG.UNSUPPORTED', 'The run config evaluates no test split.', {
        fix: 'Give a config whose data block has a test set with --data.',
      });
    const scored = await test.evaluate();
    return { epoch: state.epoch, event: scored.event };
  } finally {
    task?.dispose();
  }
}
