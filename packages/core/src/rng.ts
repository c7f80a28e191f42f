import { z } from 'zod';
import { LtlabError } from './ltlab-error.js';
import { parseOrThrow } from './validation.js';

/**
 * A seeded pseudo-random generator whose whole state can be exported and restored, so a resumed
 * run draws exactly the numbers the uninterrupted run would have drawn.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, 2018): 128 bits of state, period 2^128 - 1,
 * fast with 32-bit integer arithmetic in JavaScript. Seeds are expanded with SplitMix32.
 */
export const rngStateSchema = z.object({
  algorithm: z.literal('xoshiro128**'),
  words: z.array(z.number().int().min(0).max(0xffff_ffff)).length(4),
  /** The second Gaussian of the last polar-method pair, when it has not been used yet. */
  spareNormal: z.number().nullable(),
});

export type RngState = z.infer<typeof rngStateSchema>;

/** A seed: a non-negative safe integer, or a string (hashed). */
export type Seed = number | string;

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

export class Rng {
  readonly #s = new Uint32Array(4);
  #spareNormal: number | null = null;

  constructor(seed: Seed) {
    const words = expandSeed(seedToWords(seed));
    this.#s.set(words);
  }

  /** A generator continuing from an exported state (validated: checkpoints are untrusted input). */
  static fromState(state: unknown): Rng {
    const parsed = parseOrThrow(rngStateSchema, state, 'PRNG state');
    if (parsed.words.every((word) => word === 0)) {
      throw new LtlabError('CHECKPOINT.CORRUPT', 'PRNG state is all zeros, which xoshiro never reaches.', {
        fix: 'The checkpoint is damaged: resume from an earlier one.',
      });
    }
    const rng = new Rng(0);
    rng.#s.set(parsed.words);
    rng.#spareNormal = parsed.spareNormal;
    return rng;
  }

  /** A plain JSON-safe copy of the full state. */
  exportState(): RngState {
    return { algorithm: 'xoshiro128**', words: Array.from(this.#s), spareNormal: this.#spareNormal };
  }

  /** An independent copy that continues with the same sequence. */
  clone(): Rng {
    return Rng.fromState(this.exportState());
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = (s[2] as number) ^ s0;
    s[3] = (s[3] as number) ^ s1;
    s[1] = s1 ^ (s[2] as number);
    s[0] = s0 ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** Uniform in [min, max) with 53 bits of resolution. */
  uniform(min = 0, max = 1): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    const unit = (high * 67_108_864 + low) / TWO_POW_53;
    return min + (max - min) * unit;
  }

  /** Gaussian with the given mean and standard deviation (Marsaglia's polar method). */
  normal(mean = 0, std = 1): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return mean + std * spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.uniform(-1, 1);
      v = this.uniform(-1, 1);
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * factor;
    return mean + std * u * factor;
  }

  /** A uniformly distributed integer in [min, maxExclusive), without modulo bias. */
  int(min: number, maxExclusive: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxExclusive) || maxExclusive <= min) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Rng.int needs integers min < maxExclusive, got [${min}, ${maxExclusive}).`,
      );
    }
    const range = maxExclusive - min;
    if (range > TWO_POW_32) {
      throw new LtlabError('CONFIG.INVALID', `Rng.int supports ranges up to 2^32, got ${range}.`);
    }
    // Reject the top partial block of 2^32 so every value is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let draw = this.nextUint32();
    while (draw >= limit) draw = this.nextUint32();
    return min + (draw % range);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** One element chosen uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new LtlabError('CONFIG.INVALID', 'Rng.choice needs a non-empty array.');
    return items[this.int(0, items.length)] as T;
  }

  /** An index drawn with probability proportional to its (non-negative, finite) weight. */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!Number.isFinite(w) || w < 0) {
        throw new LtlabError('CONFIG.INVALID', `Weight [${i}] is ${w}; weights must be finite and >= 0.`);
      }
      total += w;
    }
    if (!(total > 0)) throw new LtlabError('CONFIG.INVALID', 'Weights must have a positive sum.');
    const target = this.uniform() * total;
    let cumulative = 0;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w === 0) continue;
      cumulative += w;
      last = i;
      if (target < cumulative) return i;
    }
    // Floating-point rounding can leave target == total; the last positive weight takes it.
    return last;
  }

  /** One element drawn with probability proportional to its weight. */
  weightedChoice<T>(items: readonly T[], weights: ArrayLike<number>): T {
    if (items.length !== weights.length) {
      throw new LtlabError('CONFIG.INVALID', `weightedChoice got ${items.length} items but ${weights.length} weights.`);
    }
    return items[this.weightedIndex(weights)] as T;
  }
}

/**
 * A seed derived from a base seed and labels, e.g. `deriveSeed(runSeed, 'sampler', epoch)`: the
 * same inputs always give the same seed, and different labels give unrelated streams.
 */
export function deriveSeed(base: Seed, ...parts: Array<string | number>): number {
  let h = seedToWords(base);
  for (const part of parts) h = mix32(h ^ hashString(`${typeof part}:${String(part)}`));
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** SplitMix32-style finaliser: a bijective avalanche of 32 bits. */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85eb_ca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2_ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units, then avalanched. */
function hashString(text: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x0100_0193);
  }
  return mix32(h);
}

function seedToWords(seed: Seed): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new LtlabError('CONFIG.INVALID', `A seed must be a non-negative safe integer or a string, got ${seed}.`, {
      fix: 'Use an integer seed such as 0 or 42.',
    });
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  return high === 0 ? low : mix32(low ^ mix32(high));
}

/** Four state words from one 32-bit seed by a SplitMix32 sequence (never all zero). */
function expandSeed(seed: number): number[] {
  let state = seed >>> 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    state = (state + 0x9e37_79b9) >>> 0;
    words.push(mix32(state));
  }
  if (!words.some((word) => word !== 0)) words[0] = 1;
  return words;
}

/** A generator started from raw state words, to interoperate with other xoshiro128** code. */
export function rngFromWords(words: readonly [number, number, number, number]): Rng {
  return Rng.fromState({ algorithm: 'xoshiro128**', words: [...words], spareNormal: null });
}
