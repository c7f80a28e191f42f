/**
 * The median stopping rule (Golovin et al., "Google Vizier", KDD 2017): stop a run at epoch e
 * when its best objective so far is worse than the median, over the other runs that reached e,
 * of their best objective up to e.
 */
export interface MedianRuleInput {
  epoch: number;
  /** This run's objective values by epoch (only epochs <= `epoch` are used). */
  own: ReadonlyMap<number, number>;
  /** The other runs' objective values by epoch. */
  others: ReadonlyArray<ReadonlyMap<number, number>>;
  mode: 'max' | 'min';
  minEpochs: number;
  minRuns: number;
}

export function medianRuleStops(input: MedianRuleInput): boolean {
  if (input.epoch < input.minEpochs) return false;
  const mine = bestUpTo(input.own, input.epoch, input.mode);
  if (mine === undefined) return false;
  const peers = input.others
    .filter((series) => series.has(input.epoch))
    .map((series) => bestUpTo(series, input.epoch, input.mode))
    .filter((value): value is number => value !== undefined);
  if (peers.length < input.minRuns) return false;
  const middle = median(peers);
  return input.mode === 'max' ? mine < middle : mine > middle;
}

/** The best value of `series` at epochs up to `epoch` (NaN reports skipped). */
export function bestUpTo(series: ReadonlyMap<number, number>, epoch: number, mode: 'max' | 'min'): number | undefined {
  let best: number | undefined;
  for (const [e, value] of series) {
    if (e > epoch || Number.isNaN(value)) continue;
    if (best === undefined || (mode === 'max' ? value > best : value < best)) best = value;
  }
  return best;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
