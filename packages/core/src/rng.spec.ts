import { describe, expect, it } from 'vitest';
import { LtlabError } from './ltlab-error.js';
import { deriveSeed, Rng, rngFromWords } from './rng.js';

const N = 200_000;

function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((sum, o, i) => sum + (o - (expected[i] as number)) ** 2 / (expected[i] as number), 0);
}

describe('Rng', () => {
  it('matches the xoshiro128** reference output for state [1, 2, 3, 4]', () => {
    // Values printed by the reference C implementation (prng.di.unimi.it/xoshiro128starstar.c).
    const rng = rngFromWords([1, 2, 3, 4]);
    const first = Array.from({ length: 8 }, () => rng.nextUint32());
    expect(first).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 16 }, () => a.nextUint32());
    expect(Array.from({ length: 16 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 16 }, () => c.nextUint32())).not.toEqual(seqA);
    expect(new Rng('paco').uniform()).toBe(new Rng('paco').uniform());
    expect(new Rng(2 ** 40).uniform()).not.toBe(new Rng(0).uniform());
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(1);
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < N; i++) {
      const u = rng.uniform();
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = sum / N;
    const variance = sumSq / N - mean * mean;
    // Standard error of the mean is sqrt(1/12/N) ~ 6.5e-4; 5 sigma bounds.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(2e-3);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const scaled = new Rng(1).uniform(-3, 5);
    expect(scaled).toBeGreaterThanOrEqual(-3);
    expect(scaled).toBeLessThan(5);
  });

  it('draws normals with the requested mean, std and Gaussian kurtosis', () => {
    const rng = new Rng(7);
    const xs = Array.from({ length: N }, () => rng.normal(2, 3));
    const mean = xs.reduce((s, x) => s + x, 0) / N;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / N;
    const kurtosis = xs.reduce((s, x) => s + (x - mean) ** 4, 0) / N / variance ** 2;
    expect(Math.abs(mean - 2)).toBeLessThan(0.04);
    expect(Math.abs(Math.sqrt(variance) - 3)).toBeLessThan(0.04);
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.1);
  });

  it('draws integers uniformly over the half-open range', () => {
    const rng = new Rng(3);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) {
      const k = rng.int(-2, 5);
      counts[k + 2] = (counts[k + 2] as number) + 1;
    }
    // 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
    expect(chiSquare(counts, new Array<number>(7).fill(10_000))).toBeLessThan(22.46);
    expect(() => rng.int(3, 3)).toThrow(LtlabError);
    expect(() => rng.int(0, 1.5)).toThrow(/integers/);
  });

  it('shuffles into every permutation with equal frequency', () => {
    const rng = new Rng(11);
    const seen = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    // 5 degrees of freedom: P(chi2 > 20.52) = 0.001.
    expect(chiSquare([...seen.values()], new Array<number>(6).fill(10_000))).toBeLessThan(20.52);
    const perm = rng.permutation(100);
    expect([...perm].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('chooses by weight in proportion and never picks a zero weight', () => {
    const rng = new Rng(5);
    const weights = [1, 0, 2, 7];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) {
      const k = rng.weightedIndex(weights);
      counts[k] = (counts[k] as number) + 1;
    }
    expect(counts[1]).toBe(0);
    // 2 degrees of freedom over the non-zero cells: P(chi2 > 13.82) = 0.001.
    expect(chiSquare([counts[0], counts[2], counts[3]] as number[], [10_000, 20_000, 70_000])).toBeLessThan(13.82);
    expect(rng.weightedChoice(['x', 'y'], [0, 1])).toBe('y');
    expect(() => rng.weightedIndex([0, 0])).toThrow(/positive sum/);
    expect(() => rng.weightedIndex([1, -1])).toThrow(/Weight \[1\]/);
    expect(() => rng.weightedIndex([1, Number.NaN])).toThrow(LtlabError);
  });

  it('resumes bit-for-bit from an exported state, including a pending Gaussian', () => {
    const rng = new Rng(2024);
    for (let i = 0; i < 1000; i++) rng.uniform();
    rng.normal(); // leaves the spare of the pair pending
    const saved = JSON.parse(JSON.stringify(rng.exportState())) as unknown;
    const continued = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? rng.normal() : rng.uniform()));
    const resumed = Rng.fromState(saved);
    expect(Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? resumed.normal() : resumed.uniform()))).toEqual(
      continued,
    );
    const clone = resumed.clone();
    expect(clone.nextUint32()).toBe(resumed.nextUint32());
  });

  it('rejects damaged states with the field path', () => {
    expect(() => Rng.fromState({ algorithm: 'xoshiro128**', words: [1, 2, 3], spareNormal: null })).toThrow(/words/);
    expect(() => Rng.fromState({ algorithm: 'mt19937', words: [1, 2, 3, 4], spareNormal: null })).toThrow(/algorithm/);
    expect(() => Rng.fromState({ algorithm: 'xoshiro128**', words: [0, 0, 0, 0], spareNormal: null })).toThrow(
      /all zeros/,
    );
    expect(() => new Rng(-1)).toThrow(/non-negative/);
  });

  it('derives stable, label-dependent seeds', () => {
    expect(deriveSeed(42, 'sampler', 3)).toBe(deriveSeed(42, 'sampler', 3));
    expect(deriveSeed(42, 'sampler', 3)).not.toBe(deriveSeed(42, 'sampler', 4));
    expect(deriveSeed(42, 'sampler', 3)).not.toBe(deriveSeed(42, 'sampler', '3'));
    expect(deriveSeed(42, 'augment')).not.toBe(deriveSeed(43, 'augment'));
  });
});
