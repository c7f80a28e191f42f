/**
 * The early-stopping table of a sweep (docs/architecture.md §3, "Early stopping"): what the
 * sweep's rule saw and decided, rebuilt from the objective values the store recorded.
 *
 * Workers apply the rule in SweepGuard (orchestrator; the rules are @ltlab/metrics') each time a run
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
