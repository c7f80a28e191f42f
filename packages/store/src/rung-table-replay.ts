import { ashaCutoff, ashaStops, bestUpTo, median, medianRuleStops } from '@ltlab/metrics';
import type { AshaRung, EarlyStoppingRule, MedianEpoch, ObjectivePoint, RungTable, StopRecord } from './rung-table.js';

/*
 * The rung table's computation (rung-table.ts has its types, which the wire entry exports). The
 * rules are the ones SweepGuard applies (@ltlab/metrics early-stopping), replayed over the
 * recorded reports.
 */

/** Replays the reports in wall-time order and returns the runs the rule stopped, each at its first stop. */
export function replayStops(
  rule: EarlyStoppingRule,
  mode: 'max' | 'min',
  points: readonly ObjectivePoint[],
): StopRecord[] {
  const ordered = [...points].sort(
    (a, b) =>
      a.wallTime.getTime() - b.wallTime.getTime() ||
      a.epoch - b.epoch ||
      (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0),
  );
  const series = new Map<string, Map<number, number>>();
  const stops: StopRecord[] = [];
  const stopped = new Set<string>();
  for (const point of ordered) {
    // As SweepGuard does: the report enters the shared record first, then the rule reads it.
    const own = series.get(point.runId) ?? new Map<number, number>();
    own.set(point.epoch, point.value);
    series.set(point.runId, own);
    if (stopped.has(point.runId)) continue;
    const others = [...series.entries()].filter(([id]) => id !== point.runId).map(([, map]) => map);
    const stop =
      rule.rule === 'asha'
        ? ashaStops({
            epoch: point.epoch,
            value: point.value,
            rungValues: valuesAt(others, point.epoch),
            mode,
            ...rule,
          })
        : medianRuleStops({ epoch: point.epoch, own, others, mode, ...rule });
    if (stop) {
      stopped.add(point.runId);
      stops.push({ runId: point.runId, epoch: point.epoch });
    }
  }
  return stops;
}

/** The table of a sweep's rule over its recorded objective values. */
export function rungTable(
  rule: EarlyStoppingRule,
  objective: { metric: string; mode: 'max' | 'min' },
  points: readonly ObjectivePoint[],
): RungTable {
  const { mode } = objective;
  const stops = replayStops(rule, mode, points);
  const stoppedAt = (epoch: number) => stops.filter((stop) => stop.epoch === epoch).map((stop) => stop.runId);
  const series = new Map<string, Map<number, number>>();
  for (const point of points) {
    const map = series.get(point.runId) ?? new Map<number, number>();
    map.set(point.epoch, point.value);
    series.set(point.runId, map);
  }
  const all = [...series.values()];
  const lastEpoch = points.reduce((max, point) => Math.max(max, point.epoch), 0);
  if (rule.rule === 'asha') {
    const rungs: AshaRung[] = [];
    for (let epoch = rule.gracePeriod; epoch <= lastEpoch; epoch *= rule.reductionFactor) {
      const values = valuesAt(all, epoch);
      const stopped = stoppedAt(epoch);
      rungs.push({
        epoch,
        reached: values.length,
        cutoff: ashaCutoff(values, mode, rule.reductionFactor),
        promoted: values.length - stopped.length,
        stopped,
      });
    }
    return { rule: 'asha', objective, gracePeriod: rule.gracePeriod, reductionFactor: rule.reductionFactor, rungs };
  }
  const epochs: MedianEpoch[] = [];
  for (let epoch = 1; epoch <= lastEpoch; epoch++) {
    const best = all
      .filter((map) => map.has(epoch))
      .map((map) => bestUpTo(map, epoch, mode))
      .filter((value): value is number => value !== undefined);
    epochs.push({
      epoch,
      reached: all.filter((map) => map.has(epoch)).length,
      median: best.length === 0 ? null : median(best),
      stopped: stoppedAt(epoch),
    });
  }
  return { rule: 'median', objective, minEpochs: rule.minEpochs, minRuns: rule.minRuns, epochs };
}

function valuesAt(series: ReadonlyArray<ReadonlyMap<number, number>>, epoch: number): number[] {
  return series.flatMap((map) => (map.has(epoch) ? [map.get(epoch) as number] : []));
}
