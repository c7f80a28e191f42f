import type { ArtifactRecord, CheckpointSelection } from './run-store.js';

/** A checkpoint file on disk as the run page and `runs show` list it. */
export interface CheckpointFile {
  path: string;
  /** `epoch`: a resumable epoch file kept by checkpoint.keepLast; `best`: best.ckpt. */
  file: 'epoch' | 'best';
  /** 1-based epoch the file holds. */
  epoch: number | null;
  sizeBytes: number | null;
  sha256: string | null;
}

export interface CheckpointView {
  /** The files on disk: epoch files by epoch, then best.ckpt. Files keepLast deleted are left out. */
  files: CheckpointFile[];
  /** best.ckpt and what chose it; null when the run kept none (keepBest off, or no evaluation yet). */
  best: (CheckpointFile & { selection: CheckpointSelection | null; basis: string }) | null;
}

/** "best by top1 on validation": the selection in words, as the run page and `runs show` print it. */
export function describeSelection(selection: CheckpointSelection | null): string {
  if (selection === null) return 'best (selection not recorded)';
  const split = selection.split === 'val' ? 'validation' : selection.split;
  return `best by ${selection.metric}${selection.mode === 'min' ? ' (lowest)' : ''} on ${split}`;
}

/**
 * The checkpoints of a run that are on disk, from its artifact records: the epoch files not
 * deleted by checkpoint.keepLast, and best.ckpt marked as such with its selection.
 */
export function checkpointsOnDisk(artifacts: readonly ArtifactRecord[]): CheckpointView {
  const onDisk = artifacts.filter(
    (a) => (a.kind === 'checkpoint' || a.kind === 'best-checkpoint') && a.removedAt === undefined,
  );
  const fileOf = (a: ArtifactRecord, file: CheckpointFile['file']): CheckpointFile => ({
    path: a.path,
    file,
    epoch: a.epoch ?? null,
    sizeBytes: a.sizeBytes ?? null,
    sha256: a.sha256 ?? null,
  });
  const epochs = onDisk
    .filter((a) => a.kind === 'checkpoint')
    .map((a) => fileOf(a, 'epoch'))
    .sort((a, b) => (a.epoch ?? 0) - (b.epoch ?? 0));
  const bestRecord = onDisk.find((a) => a.kind === 'best-checkpoint');
  const best =
    bestRecord === undefined
      ? null
      : {
          ...fileOf(bestRecord, 'best'),
          selection: bestRecord.selection ?? null,
          basis: describeSelection(bestRecord.selection ?? null),
        };
  return { files: best === null ? epochs : [...epochs, fileOf(bestRecord as ArtifactRecord, 'best')], best };
}
