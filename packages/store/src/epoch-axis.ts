import type { JsonObject, RunDetail } from './run-store.js';

/** The epochs a run's charts span, counted from 1 as everywhere: 1..8 for an 8-epoch run. */
export interface EpochAxis {
  min: 1;
  max: number;
}

/**
 * The epochs a run was planned for: its config's `epochs` plus those of its later `stages`
 * (the run config of @ltlab/train), or null for a config without them.
 */
export function plannedEpochs(config: JsonObject): number | null {
  const main = config.epochs;
  if (typeof main !== 'number' || !Number.isInteger(main) || main < 1) return null;
  const stages = Array.isArray(config.stages) ? config.stages : [];
  return stages.reduce<number>((sum, stage) => {
    const epochs = typeof stage === 'object' && stage !== null && !Array.isArray(stage) ? stage.epochs : undefined;
    return sum + (typeof epochs === 'number' ? epochs : 0);
  }, main);
}

/**
 * 1 to the planned epochs, so a running run's curves sit on the axis they will fill; without a
 * plan, 1 to the last epoch recorded (at least 1).
 */
export function epochAxis(detail: Pick<RunDetail, 'run' | 'metrics' | 'evaluations'>): EpochAxis {
  const recorded = Math.max(
    1,
    detail.run.lastEpoch ?? 1,
    ...detail.metrics.map((point) => Math.ceil(point.epoch)),
    ...detail.evaluations.map((evaluation) => evaluation.epoch),
  );
  return { min: 1, max: plannedEpochs(detail.run.config) ?? recorded };
}
