import type { RungTable } from '@ltlab/store';

/**
 * `sweep status` in words: the early-stopping rule and its table (docs/architecture.md §3). ASHA
 * lists each rung (epoch), the runs that reached it, the cut-off a run had to match to continue,
 * and how many were promoted or stopped there; the median rule lists per epoch the median of the
 * runs' best values so far and how many it stopped.
 */
export function rungTableHeading(table: RungTable): string {
  const on = `on ${table.objective.metric} (${table.objective.mode})`;
  return table.rule === 'asha'
    ? `early stopping: ASHA, grace period ${table.gracePeriod}, reduction factor ${table.reductionFactor}, ${on}`
    : `early stopping: median rule from epoch ${table.minEpochs} with at least ${table.minRuns} other runs, ${on}`;
}

export function rungTableRows(table: RungTable): Array<Record<string, string | number>> {
  const value = (x: number | null) => (x === null ? '-' : x.toFixed(4));
  if (table.rule === 'asha')
    return table.rungs.map((rung) => ({
      rung: rung.epoch,
      reached: rung.reached,
      'cut-off': value(rung.cutoff),
      promoted: rung.promoted,
      stopped: rung.stopped.length,
    }));
  return table.epochs.map((row) => ({
    epoch: row.epoch,
    reached: row.reached,
    median: value(row.median),
    stopped: row.stopped.length,
  }));
}
