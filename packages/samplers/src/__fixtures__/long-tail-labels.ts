/** Labels of a small long-tailed set: class c has counts[c] samples, interleaved as a dataset would be. */
export function longTailLabels(counts: readonly number[]): Int32Array {
  const labels: number[] = [];
  const remaining = [...counts];
  while (remaining.some((n) => n > 0)) {
    for (let c = 0; c < remaining.length; c++) {
      if ((remaining[c] as number) > 0) {
        labels.push(c);
        remaining[c] = (remaining[c] as number) - 1;
      }
    }
  }
  return Int32Array.from(labels);
}

export const LT_COUNTS = [1000, 400, 150, 60, 20, 8, 3] as const;

/** Pearson chi-square statistic of observed counts against expected probabilities. */
export function chiSquare(observed: ArrayLike<number>, probabilities: ArrayLike<number>, total: number): number {
  let chi = 0;
  for (let c = 0; c < observed.length; c++) {
    const expected = (probabilities[c] as number) * total;
    chi += ((observed[c] as number) - expected) ** 2 / expected;
  }
  return chi;
}

/** Chi-square critical value at p = 0.001 for 6 degrees of freedom (7 classes). */
export const CHI2_6DOF_P001 = 22.458;

export function classHistogram(indices: Int32Array, labels: Int32Array, numClasses: number): Int32Array {
  const hist = new Int32Array(numClasses);
  for (const i of indices) {
    const y = labels[i] as number;
    hist[y] = (hist[y] as number) + 1;
  }
  return hist;
}
