/**
 * Float64 SupCon (the reference `losses.py` SupConLoss, Khosla et al. 2020) for test oracles, on
 * plain JS numbers: features [B][V][d], view-major contrast rows, anchors without positives
 * counted as 0 in the mean.
 */
export interface SupconReferenceOptions {
  temperature: number;
  baseTemperature: number;
  contrastMode: 'all' | 'one';
}

/** The contrast rows (view-major, as torch.cat(unbind(f, 1))) and the logits a_ij = f_i . f_j / T. */
function anchorLogits(
  features: number[][][],
  options: SupconReferenceOptions,
): { contrast: number[][]; rows: number[][] } {
  const batch = features.length;
  const views = (features[0] as number[][]).length;
  const contrast: number[][] = [];
  for (let v = 0; v < views; v += 1) for (let b = 0; b < batch; b += 1) contrast.push(features[b]?.[v] as number[]);
  const anchors = options.contrastMode === 'one' ? contrast.slice(0, batch) : contrast;
  const rows = anchors.map((anchor) =>
    contrast.map((other) => anchor.reduce((sum, x, d) => sum + x * (other[d] as number), 0) / options.temperature),
  );
  return { contrast, rows };
}

export function supconReference(
  features: number[][][],
  labels: readonly number[] | null,
  options: SupconReferenceOptions,
): number {
  const batch = features.length;
  const { rows } = anchorLogits(features, options);
  const sameClass = (i: number, k: number) =>
    labels === null ? i % batch === k % batch : labels[i % batch] === labels[k % batch];
  let total = 0;
  rows.forEach((row, i) => {
    const others = row.filter((_, k) => k !== i);
    const max = Math.max(...others);
    const logSum = max + Math.log(others.reduce((sum, a) => sum + Math.exp(a - max), 0));
    const positives = row.filter((_, k) => k !== i && sameClass(i, k));
    if (positives.length === 0) return;
    const meanLogProb = positives.reduce((sum, a) => sum + (a - logSum), 0) / positives.length;
    total += -(options.temperature / options.baseTemperature) * meanLogProb;
  });
  return total / rows.length;
}

/**
 * min over anchors of sum_{k != i} exp(a_ik - max_k a_ik), the max over all columns (self included):
 * the reference's masked `exp_logits.sum(1)`. Below 2^-126 it is a float32 subnormal (or 0).
 */
export function smallestMaskedExpSum(features: number[][][], options: SupconReferenceOptions): number {
  const { rows } = anchorLogits(features, options);
  return Math.min(
    ...rows.map((row, i) => {
      const max = Math.max(...row);
      return row.reduce((sum, a, k) => (k === i ? sum : sum + Math.exp(a - max)), 0);
    }),
  );
}

/** Central-difference gradient of `f` at `x` (float64), same nesting as `x`. */
export function numericGradient(f: (x: number[][][]) => number, x: number[][][], step = 1e-5): number[][][] {
  return x.map((image, b) =>
    image.map((row, v) =>
      row.map((_, d) => {
        const at = (delta: number) =>
          f(
            x.map((im, bb) =>
              im.map((r, vv) => r.map((value, dd) => (bb === b && vv === v && dd === d ? value + delta : value))),
            ),
          );
        return (at(step) - at(-step)) / (2 * step);
      }),
    ),
  );
}
