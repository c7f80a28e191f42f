import { relative } from 'node:path';
import type { BestSelection, RejectedCheckpoint } from '@ltlab/config';
import { LtlabError } from '@ltlab/core';
import { sameSelection } from './best-selection.js';
import { parseCheckpointState } from './checkpoint-state.js';
import type { OptimizerState } from './optimizer.js';
import { chooseResumeCheckpoint, resumeLogLines, setAside } from './resume-checkpoint.js';
import type { Progress } from './run-context.js';
import type { TrainingTask } from './training-task.js';

/** Where a resumed run continues: its progress and optimizer buffers, and what the `started` event reports. */
export interface Resumption {
  progress: Progress;
  /** The buffers of the optimizer of the stage it stopped in; null when it starts afresh. */
  optimizerState: OptimizerState | null;
  resumedFrom: string | null;
  rejectedCheckpoints: RejectedCheckpoint[];
}

/**
 * Loads the newest checkpoint in `checkpointDir` that is intact and fits the run into `task`
 * (docs/architecture.md §7). Each newer one is set aside as `<name>.rejected`, logged and listed;
 * when all are rejected the task gets fresh weights again and the run starts from epoch 1.
 */
export function resumeRun(
  task: TrainingTask,
  run: {
    checkpointDir: string;
    artifactRoot: string;
    totalEpochs: number;
    selection: BestSelection;
    log: (line: string) => void;
  },
): Resumption {
  const statePrefix = `${task.optimizerStateName}/`;
  let loadTried = false;
  const choice = chooseResumeCheckpoint(run.checkpointDir, (ref, contents) => {
    const state = parseCheckpointState(contents.state, ref.path);
    if (state.epoch > run.totalEpochs) {
      const reason = `holds epoch ${state.epoch}, past this run's ${run.totalEpochs} epochs`;
      throw new LtlabError('CONFIG.INVALID', `Checkpoint ${ref.path} ${reason}.`, { details: { reason } });
    }
    const weights = Object.fromEntries(
      Object.entries(contents.tensors).filter(([name]) => !name.startsWith(statePrefix)),
    );
    loadTried = true;
    // Each module checks names and shapes (CONFIG.INVALID for another architecture) before it writes.
    task.loadWeights(weights as Parameters<TrainingTask['loadWeights']>[0], state);
    const buffers: OptimizerState = Object.fromEntries(
      Object.entries(contents.tensors)
        .filter(([name]) => name.startsWith(statePrefix))
        .map(([name, t]) => [name.slice(statePrefix.length), { shape: t.shape, values: t.values as Float32Array }]),
    );
    return { state, buffers };
  });
  const movedTo = choice.rejected.map(setAside);
  for (const line of resumeLogLines(choice, movedTo)) run.log(line);
  const rejectedCheckpoints = choice.rejected.map(({ path, code, reason }) => ({
    file: relative(run.artifactRoot, path),
    code,
    reason,
  }));
  if (choice.chosen === null) {
    // A rejected checkpoint may have loaded some modules before failing: start from fresh weights.
    if (loadTried) task.rebuild();
    return {
      progress: { epoch: 0, step: 0, best: null },
      optimizerState: null,
      resumedFrom: null,
      rejectedCheckpoints,
    };
  }
  const { ref, value } = choice.chosen;
  const { state } = value;
  // A best kept under another selection (a checkpoint of the old trainers) does not compare.
  const best = state.best !== null && sameSelection(state.best, run.selection) ? state.best : null;
  return {
    progress: { epoch: state.epoch, step: state.step, best },
    optimizerState: value.buffers,
    resumedFrom: relative(run.artifactRoot, ref.path),
    rejectedCheckpoints,
  };
}
