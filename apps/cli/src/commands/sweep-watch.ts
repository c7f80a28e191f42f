import { plannedEpochs, type RunRecord } from '@ltlab/store';
import type { LiveLine } from '../live-lines.js';
import { formatDuration } from '../output.js';

/**
 * The live line of a running run in `sweep status --wait`: epoch k/N and an ETA from its pace
 * since it started (the attempt's start: a resumed run's pace counts the epochs it carried over).
 */
export function watchLine(run: RunRecord, now: number): LiveLine {
  const planned = plannedEpochs(run.config);
  const done = run.lastEpoch ?? 0;
  const elapsed = run.startedAt === null ? null : now - run.startedAt.getTime();
  const eta =
    planned === null || elapsed === null || done === 0 ? null : (elapsed / done) * Math.max(0, planned - done);
  return {
    label: run.label === '' ? run.id : run.label,
    fraction: planned === null ? 0 : done / planned,
    suffix: [
      `epoch ${done}/${planned ?? '?'}`,
      ...(run.attempt > 1 ? [`attempt ${run.attempt}`] : []),
      `ETA ${eta === null ? '-' : formatDuration(eta)}`,
    ].join('  '),
  };
}
