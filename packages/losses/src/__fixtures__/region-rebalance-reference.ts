/**
 * Float64 Region Rebalance loss (docs/methods.md §10) for test oracles, on plain JS arrays:
 * features [P, D] and the projection weights row-major, as the tensors hold them.
 */
export interface RegionRebalanceReferenceInputs {
  features: Float32Array;
  labels: Int32Array;
  gainWeight: Float32Array;
  gainBias: Float32Array;
  clsWeight: Float32Array;
  clsBias: Float32Array;
  classCounts: Int32Array;
}

export interface RegionRebalanceReferenceOptions {
  smooth: number;
  weight: number;
  scale: number;
  ignoreIndex: number;
}

export function regionRebalanceReference(
  inputs: RegionRebalanceReferenceInputs,
  options: RegionRebalanceReferenceOptions,
): number {
  const { features, labels, gainWeight, gainBias, clsWeight, clsBias, classCounts } = inputs;
  const [pixels, classes, hidden] = [labels.length, clsBias.length, gainBias.length];
  const width = features.length / pixels;
  const sums = new Map<number, Float64Array>();
  const sizes = new Map<number, number>();
  for (let i = 0; i < pixels; i += 1) {
    const label = labels[i] as number;
    if (label === options.ignoreIndex) continue;
    const sum = sums.get(label) ?? new Float64Array(width);
    for (let d = 0; d < width; d += 1) sum[d] = (sum[d] as number) + (features[i * width + d] as number);
    sums.set(label, sum);
    sizes.set(label, (sizes.get(label) ?? 0) + 1);
  }
  const totalCount = classCounts.reduce((a, b) => a + b, 0);
  const logPrior = Array.from(classCounts, (n) => Math.log(n / totalCount + 1e-12));
  let weighted = 0;
  let targetMass = 0;
  for (const [label, sum] of sums) {
    const region = Array.from(sum, (s) => s / (sizes.get(label) as number));
    const hiddenRow = Array.from({ length: hidden }, (_, h) =>
      Math.max(
        0,
        region.reduce((acc, x, d) => acc + x * (gainWeight[h * width + d] as number), gainBias[h] as number),
      ),
    );
    const logits = Array.from(
      { length: classes },
      (_, c) =>
        hiddenRow.reduce((acc, x, h) => acc + x * (clsWeight[c * hidden + h] as number), clsBias[c] as number) *
          options.scale +
        (logPrior[c] as number),
    );
    const max = Math.max(...logits);
    const logSum = max + Math.log(logits.reduce((acc, u) => acc + Math.exp(u - max), 0));
    for (let c = 0; c < classes; c += 1) {
      const target = c === label ? options.smooth : (1 - options.smooth) / (classes - 1);
      weighted += target * ((logits[c] as number) - logSum);
      targetMass += target;
    }
  }
  return (-options.weight * weighted) / (targetMass + 1e-12);
}
