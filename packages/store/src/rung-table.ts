/**
 * The early-stopping table of a sweep (docs/architecture.md §3, "Early stopping"): what the
 * sweep's rule saw and decided, rebuilt from the objective values the store recorded.
 *
 * Workers apply the rule in SweepGuard (packages/orchestrator/src/early-stopping/) each time a run
 * reports its objective at an epoch, against every value reported before it. This replays the
 * recorded values in the order they were reported (their wall time) with the same rules, so the
 * runs it lists as stopped are the ones the rule stopped; tests/rung-table.spec.ts of the
 * orchestrator checks it against SweepGuard on the same reports. Imports nothing: the dashboard
 * UI reads these types through `@ltlab/store/wire`.
 */

/** A sweep's `earlyStopping:` section, defaults filled (the orchestrator's sweep-spec.ts). */
export type EarlyStoppingRule =
  | { rule: 'median'; minEpochs: number; minRuns: number }
  | { rule: 'asha'; gracePeriod: number; reductionFactor: number };

/** One recorded value of a sweep's objective: run, 1-based epoch, value, when it was reported. */
export interface ObjectivePoint {
  runId: string;
  epoch: number;
  value: number;
  wallTime: Date;
}

/** An ASHA rung: the epoch it sits at and what happened there. */
export interface AshaRung {
  epoch: number;
  /** Runs that recorded the objective at this epoch. */
  reached: number;
  /**
   * The value a run must match or beat to continue, judged over every run at the rung now (the
   * floor(n / eta)-th best); null while fewer than eta runs reached it.
   */
  cutoff: number | null;
  /** Runs that reached the rung and were let through (not stopped here). */
  promoted: number;
  /** Runs the rule stopped at this rung, in the order it stopped them. */
  stopped: string[];
}

/** One epoch under the median rule. */
export interface MedianEpoch {
  epoch: number;
  /** Runs that recorded the objective at this epoch. */
  reached: number;
  /** The median over those runs of their best value up to this epoch (what the rule compares against). */
  median: number | null;
  /** Runs the rule stopped at this epoch. */
  stopped: string[];
}

export type RungTable =
  | {
      rule: 'asha';
      objective: { metric: string; mode: 'max' | 'min' };
      gracePeriod: number;
      reductionFactor: number;
      rungs: AshaRung[];
    }
  | {
      rule: 'median';
      objective: { metric: string; mode: 'max' | 'min' };
      minEpochs: number;
      minRuns: number;
      epochs: MedianEpoch[];
    };

/** The decision the rule took on one report; only a run's first stop counts (the worker acts on it once). */
export interface StopRecord {
  runId: string;
  epoch: number;
}

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
        ? ashaStopsAt(point.epoch, point.value, valuesAt(others, point.epoch), mode, rule)
        : medianStopsAt(point.epoch, own, others, mode, rule);
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
      median: best.length === 0 ? null : medianOf(best),
      stopped: stoppedAt(epoch),
    });
  }
  return { rule: 'median', objective, minEpochs: rule.minEpochs, minRuns: rule.minRuns, epochs };
}

function valuesAt(series: ReadonlyArray<ReadonlyMap<number, number>>, epoch: number): number[] {
  return series.flatMap((map) => (map.has(epoch) ? [map.get(epoch) as number] : []));
}

/** Rungs sit at gracePeriod * eta^k epochs (Li et al., MLSys 2020). */
function isRung(epoch: number, gracePeriod: number, reductionFactor: number): boolean {
  for (let rung = gracePeriod; rung <= epoch; rung *= reductionFactor) if (rung === epoch) return true;
  return false;
}

/** The floor(n / eta)-th best of the values at a rung: the worst value that still continues. */
function ashaCutoff(values: readonly number[], mode: 'max' | 'min', reductionFactor: number): number | null {
  const keep = Math.floor(values.length / reductionFactor);
  if (keep === 0) return null;
  const ranked = [...values].sort((a, b) => (mode === 'max' ? b - a : a - b));
  return ranked[keep - 1] as number;
}

function ashaStopsAt(
  epoch: number,
  value: number,
  rungValues: readonly number[],
  mode: 'max' | 'min',
  rule: Extract<EarlyStoppingRule, { rule: 'asha' }>,
): boolean {
  if (!isRung(epoch, rule.gracePeriod, rule.reductionFactor)) return false;
  const cutoff = ashaCutoff([...rungValues, value], mode, rule.reductionFactor);
  if (cutoff === null) return false;
  return mode === 'max' ? value < cutoff : value > cutoff;
}

/** The median stopping rule (Golovin et al., KDD 2017), as median-rule.ts of the orchestrator applies it. */
function medianStopsAt(
  epoch: number,
  own: ReadonlyMap<number, number>,
  others: ReadonlyArray<ReadonlyMap<number, number>>,
  mode: 'max' | 'min',
  rule: Extract<EarlyStoppingRule, { rule: 'median' }>,
): boolean {
  if (epoch < rule.minEpochs) return false;
  const mine = bestUpTo(own, epoch, mode);
  if (mine === undefined) return false;
  const peers = others
    .filter((map) => map.has(epoch))
    .map((map) => bestUpTo(map, epoch, mode))
    .filter((value): value is number => value !== undefined);
  if (peers.length < rule.minRuns) return false;
  const middle = medianOf(peers);
  return mode === 'max' ? mine < middle : mine > middle;
}

function bestUpTo(series: ReadonlyMap<number, number>, epoch: number, mode: 'max' | 'min'): number | undefined {
  let best: number | undefined;
  for (const [e, value] of series) {
    if (e > epoch || Number.isNaN(value)) continue;
    if (best === undefined || (mode === 'max' ? value > best : value < best)) best = value;
  }
  return best;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
