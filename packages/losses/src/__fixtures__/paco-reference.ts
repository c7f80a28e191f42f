/**
 * A float64 transliteration of docs/methods.md §8.4 steps 1-14 in plain arrays, used only as a test
 * oracle for the epsilon and stop-gradient corners that the float32 goldens cannot resolve.
 * `rowMax` lets a test hold the detached max fixed while differentiating numerically.
 */
export interface PacoReferenceCase {
  features: number[][];
  labels: number[];
  logits: number[][];
  classCounts: number[] | null;
  alpha: number;
  beta: number;
  gamma: number;
  temperature: number;
  /** Added inside the log after the shift (step 11); 1e-12 in the original. */
  logEpsilon?: number;
}

export function pacoReference(c: PacoReferenceCase, rowMax?: number[]): { loss: number; rowMax: number[] } {
  const batch = c.logits.length;
  const classes = c.logits[0]?.length ?? 0;
  const rows = c.features.length;
  const total = c.classCounts?.reduce((a, b) => a + b, 0) ?? 1;
  const maxes: number[] = [];
  let sum = 0;
  for (let i = 0; i < batch; i += 1) {
    const q = c.features[i] as number[];
    const z: number[] = [];
    for (let k = 0; k < classes; k += 1) {
      const prior = c.classCounts === null ? 0 : Math.log((c.classCounts[k] as number) / total + 1e-9);
      z.push((c.logits[i]?.[k] as number) + prior);
    }
    for (let j = 0; j < rows; j += 1) {
      const f = c.features[j] as number[];
      z.push(q.reduce((acc, v, d) => acc + v * (f[d] as number), 0) / c.temperature);
    }
    const m = rowMax?.[i] ?? Math.max(...z);
    maxes.push(m);
    const shifted = z.map((v) => v - m);
    let den = 0;
    const weights: number[] = [];
    for (let col = 0; col < classes + rows; col += 1) {
      const j = col - classes;
      const isSample = j >= 0;
      const notSelf = isSample && j === i ? 0 : 1;
      den += Math.exp(shifted[col] as number) * (isSample ? c.gamma * notSelf : 1);
      if (!isSample) weights.push(col === c.labels[i] ? c.beta : 0);
      else weights.push(c.labels[j] === c.labels[i] && notSelf === 1 ? c.alpha : 0);
    }
    const logDen = Math.log(den + (c.logEpsilon ?? 1e-12));
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const meanPos = weights.reduce((acc, w, col) => acc + w * ((shifted[col] as number) - logDen), 0) / weightSum;
    sum += -meanPos;
  }
  return { loss: sum / batch, rowMax: maxes };
}
