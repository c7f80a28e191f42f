/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020). Rungs sit at `gracePeriod * eta^k` epochs. A run that reaches a rung
 * continues only if its value is in the top floor(n / eta) of the n runs recorded at that rung so
 * far (itself included); runs arriving early are judged against fewer peers, as in the paper.
 */
export interface AshaInput {
  epoch: number;
  value: number;
  /** Values recorded at this rung by other runs. */
  rungValues: readonly number[];
  mode: 'max' | 'min';
  gracePeriod: number;
  reductionFactor: number;
}

export function isAshaRung(epoch: number, gracePeriod: number, reductionFactor: number): boolean {
  for (let rung = gracePeriod; rung <= epoch; rung *= reductionFactor) if (rung === epoch) return true;
  return false;
}

export function ashaStops(input: AshaInput): boolean {
  if (!isAshaRung(input.epoch, input.gracePeriod, input.reductionFactor)) return false;
  const all = [...input.rungValues, input.value];
  const keep = Math.floor(all.length / input.reductionFactor);
  if (keep === 0) return false; // too few runs at this rung to judge yet
  const ranked = [...all].sort((a, b) => (input.mode === 'max' ? b - a : a - b));
  const threshold = ranked[keep - 1] as number;
  return input.mode === 'max' ? input.value < threshold : input.value > threshold;
}
