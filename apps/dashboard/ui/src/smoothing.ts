/**
 * Debiased exponential moving average (TensorBoard's smoothing): weight 0 leaves the curve as
 * is, weight 0.99 nearly flattens it; the bias correction keeps the first points honest.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values];
  let last = 0;
  let debias = 0;
  return values.map((value) => {
    last = last * weight + (1 - weight) * value;
    debias = debias * weight + (1 - weight);
    return last / debias;
  });
}
