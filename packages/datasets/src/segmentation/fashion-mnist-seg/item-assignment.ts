import { LtlabError, type Rng } from '@ltlab/core';

export interface ItemAssignmentOptions {
  /** n_c: how many images must contain an item of class c (c = 0..K-1 item classes). */
  imagesPerClass: Int32Array;
  /** Number of images. */
  images: number;
  /** Items per image, [min, max]; the classes within one image are distinct. */
  itemsPerImage: readonly [number, number];
}

/** Items per image, uniform in [min, max], then moved one at a time until they sum to `total`. */
function drawItemCounts(images: number, [min, max]: readonly [number, number], total: number, rng: Rng): Int32Array {
  const counts = Int32Array.from({ length: images }, () => rng.int(min, max + 1));
  let sum = counts.reduce((a, b) => a + b, 0);
  while (sum !== total) {
    const i = rng.int(0, images);
    const k = counts[i] as number;
    if (sum > total && k > min) {
      counts[i] = k - 1;
      sum--;
    } else if (sum < total && k < max) {
      counts[i] = k + 1;
      sum++;
    }
  }
  return counts;
}

/**
 * n images drawn without replacement from `candidates`, each with probability proportional to its
 * weight (Efraimidis and Spirakis, 2006: keep the n largest u^(1/w)).
 */
function weightedSample(candidates: number[], weights: (i: number) => number, n: number, rng: Rng): number[] {
  const keyed = candidates.map((i) => ({ i, key: Math.log(rng.uniform() || Number.MIN_VALUE) / weights(i) }));
  keyed.sort((a, b) => b.key - a.key || a.i - b.i);
  return keyed.slice(0, n).map((entry) => entry.i);
}

/**
 * Fills slots: class c goes into n_c distinct images with free slots. `pick` chooses among the
 * candidates; returns undefined when some class finds too few images with room.
 */
function fill(
  capacity: Int32Array,
  imagesPerClass: Int32Array,
  pick: (candidates: number[], free: Int32Array, n: number) => number[],
): number[][] | undefined {
  const free = Int32Array.from(capacity);
  const classesOf: number[][] = Array.from({ length: capacity.length }, () => []);
  // Largest classes first: they are the hardest to place with distinct images.
  const order = Array.from(imagesPerClass.keys()).sort(
    (a, b) => (imagesPerClass[b] as number) - (imagesPerClass[a] as number) || a - b,
  );
  for (const c of order) {
    const n = imagesPerClass[c] as number;
    const candidates: number[] = [];
    for (let i = 0; i < free.length; i++) if ((free[i] as number) > 0) candidates.push(i);
    if (candidates.length < n) return undefined;
    for (const i of pick(candidates, free, n)) {
      (classesOf[i] as number[]).push(c);
      free[i] = (free[i] as number) - 1;
    }
  }
  return classesOf;
}

/**
 * Which item classes each image holds, so that exactly n_c images contain class c, every image
 * holds between min and max items, and no image holds a class twice. The item counts per image
 * are drawn uniformly and adjusted to the total; classes go to images chosen at random with
 * probability proportional to their free slots (so co-occurrence is close to independent). If
 * that random filling gets stuck, it is retried; after 20 tries the deterministic filling that
 * gives each class the images with the most free slots (which succeeds whenever any assignment
 * exists, by the Gale-Ryser argument) is used. Each image's classes are returned in a random
 * order, which is the order its items are stacked (first at the bottom).
 */
export function assignItemClasses(options: ItemAssignmentOptions, rng: Rng): number[][] {
  const { imagesPerClass, images, itemsPerImage } = options;
  const [min, max] = itemsPerImage;
  const total = imagesPerClass.reduce((a, b) => a + b, 0);
  const largest = Math.max(...imagesPerClass);
  if (!(Number.isInteger(min) && Number.isInteger(max) && 1 <= min && min <= max && max <= imagesPerClass.length)) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `itemsPerImage [${min}, ${max}] must be integers with 1 <= min <= max <= ${imagesPerClass.length}.`,
    );
  }
  if (total < images * min || total > images * max || largest > images) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `${images} images cannot hold ${total} items (${min} to ${max} per image) with one class in ${largest} of them.`,
      {
        fix: `Choose the number of images between ${Math.max(largest, Math.ceil(total / max))} and ${Math.floor(total / min)}, or change itemsPerImage.`,
        details: { images, total, largest, itemsPerImage },
      },
    );
  }
  const capacity = drawItemCounts(images, itemsPerImage, total, rng);
  let classesOf: number[][] | undefined;
  for (let attempt = 0; attempt < 20 && classesOf === undefined; attempt++) {
    classesOf = fill(capacity, imagesPerClass, (candidates, free, n) =>
      weightedSample(candidates, (i) => free[i] as number, n, rng),
    );
  }
  classesOf ??= fill(capacity, imagesPerClass, (candidates, free, n) => {
    const tieBreak = new Map(candidates.map((i) => [i, rng.uniform()]));
    return [...candidates]
      .sort(
        (a, b) =>
          (free[b] as number) - (free[a] as number) || (tieBreak.get(a) as number) - (tieBreak.get(b) as number),
      )
      .slice(0, n);
  });
  if (classesOf === undefined) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `No way to place the item classes into ${images} images with these counts.`,
      {
        fix: 'Use more images or more items per image.',
        details: { imagesPerClass: Array.from(imagesPerClass), itemsPerImage },
      },
    );
  }
  return classesOf.map((classes) => rng.shuffle(classes));
}
