import { LtlabError, type Rng } from '@ltlab/core';

/** The dataset indices of each class, in dataset order. */
export interface ClassIndex {
  numClasses: number;
  byClass: Int32Array[];
  size: number;
}

/** Groups indices by label; `numClasses` defaults to max label + 1. */
export function buildClassIndex(labels: ArrayLike<number>, numClasses?: number): ClassIndex {
  let maxLabel = -1;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0) {
      throw new LtlabError('CONFIG.INVALID', `Sampler labels[${i}] is ${y}; labels must be non-negative integers.`);
    }
    if (y > maxLabel) maxLabel = y;
  }
  const classes = numClasses ?? maxLabel + 1;
  if (maxLabel >= classes) {
    throw new LtlabError('CONFIG.INVALID', `Sampler label ${maxLabel} is out of range for ${classes} classes.`);
  }
  const counts = new Int32Array(classes);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    counts[y] = (counts[y] as number) + 1;
  }
  const byClass = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(classes);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    (byClass[y] as Int32Array)[fill[y] as number] = i;
    fill[y] = (fill[y] as number) + 1;
  }
  return { numClasses: classes, byClass, size: labels.length };
}

/** Fisher-Yates shuffle of a typed array in place. */
export function shuffleInPlace(values: Int32Array, rng: Rng): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    const tmp = values[i] as number;
    values[i] = values[j] as number;
    values[j] = tmp;
  }
  return values;
}

/**
 * Visits a list in a random order, reshuffling each time it is exhausted (the RandomCycleIter of
 * the class-aware sampler): every element is drawn once before any is drawn twice.
 */
export class RandomCycle {
  readonly #items: Int32Array;
  readonly #rng: Rng;
  #position: number;

  constructor(items: Int32Array, rng: Rng) {
    this.#items = Int32Array.from(items);
    this.#rng = rng;
    this.#position = this.#items.length;
  }

  next(): number {
    if (this.#position >= this.#items.length) {
      shuffleInPlace(this.#items, this.#rng);
      this.#position = 0;
    }
    return this.#items[this.#position++] as number;
  }
}
