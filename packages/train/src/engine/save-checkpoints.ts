import { copyFileSync, renameSync } from 'node:fs';
import { relative } from 'node:path';
import { bestCheckpointPath, epochCheckpointPath, pruneCheckpoints, writeCheckpoint } from './checkpoint-file.js';
import type { Optimizer } from './optimizer.js';
import type { EventBody, Progress } from './run-context.js';
import type { TrainingTask } from './training-task.js';

export interface CheckpointWrite {
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
export async function saveCheckpoints(
  task: TrainingTask,
  optimizer: Optimizer,
  progress: Progress,
  write: CheckpointWrite,
) {
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
