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

/**
 * The floor(n / eta)-th best of the n values at a rung: the worst value that still continues;
 * null while too few runs reached the rung to judge (floor(n / eta) = 0).
 */
export function ashaCutoff(values: readonly number[], mode: 'max' | 'min', reductionFactor: number): number | null {
  const keep = Math.floor(values.length / reductionFactor);
  if (keep === 0) return null;
  const ranked = [...values].sort((a, b) => (mode === 'max' ? b - a : a - b));
  return ranked[keep - 1] as number;
}

export function ashaStops(input: AshaInput): boolean {
  if (!isAshaRung(input.epoch, input.gracePeriod, input.reductionFactor)) return false;
  const cutoff = ashaCutoff([...input.rungValues, input.value], input.mode, input.reductionFactor);
  if (cutoff === null) return false;
  return input.mode === 'max' ? input.value < cutoff : input.value > cutoff;
}
