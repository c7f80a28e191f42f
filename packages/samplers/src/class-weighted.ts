import { LtlabError, type Rng } from '@ltlab/core';
import { type ClassIndex, RandomCycle } from './class-index.js';

/**
 * Draws `length` indices: a class with probability proportional to `classWeights` (inverse CDF by
 * binary search, so it stays fast with thousands of classes), then the next instance of that class
 * from its shuffled cycle. Shared by the square-root and progressive samplers.
 */
export function drawByClassWeights(
  index: ClassIndex,
  classWeights: Float64Array,
  length: number,
  rng: Rng,
): Int32Array {
  const cdf = new Float64Array(classWeights.length);
  let total = 0;
  for (let c = 0; c < classWeights.length; c++) {
    const w = (index.byClass[c] as Int32Array).length === 0 ? 0 : (classWeights[c] as number);
    if (!Number.isFinite(w) || w < 0) throw new LtlabError('INTERNAL', `Class weight ${c} is ${w}.`);
    total += w;
    cdf[c] = total;
  }
  if (!(total > 0)) throw new LtlabError('CONFIG.INVALID', 'The sampler needs at least one labelled sample.');
  const cycles = index.byClass.map((members) => new RandomCycle(members, rng));
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const target = rng.uniform() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    // Rounding can leave lo on a zero-weight class at the end; step back to the last positive one.
    while ((index.byClass[lo] as Int32Array).length === 0 || (classWeights[lo] as number) === 0) lo--;
    out[i] = (cycles[lo] as RandomCycle).next();
  }
  return out;
}
