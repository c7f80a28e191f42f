import { LtlabError } from '@ltlab/core';

/** Images per class; throws DATA.CORRUPT naming `what` when a label is out of range. */
export function countClasses(labels: Int32Array, numClasses: number, what: string): Int32Array {
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y < 0 || y >= numClasses) {
      throw new LtlabError('DATA.CORRUPT', `${what}: label ${y} of sample ${i} is outside [0, ${numClasses}).`, {
        fix: 'Check that the file is complete and of the expected format (or pass numClasses).',
        details: { index: i, label: y },
      });
    }
    counts[y] = (counts[y] as number) + 1;
  }
  return counts;
}

/** Checks a label map (old label -> new label) and applies it. */
export function applyLabelMap(
  labels: Int32Array,
  map: ArrayLike<number>,
  numClasses: number,
  classNames: readonly string[] | undefined,
): { labels: Int32Array; classNames: string[] | undefined } {
  if (map.length !== numClasses) {
    throw new LtlabError('CONFIG.INVALID', `A label map needs ${numClasses} entries, got ${map.length}.`);
  }
  const seen = new Uint8Array(numClasses);
  for (let c = 0; c < numClasses; c++) {
    const target = map[c] as number;
    if (!Number.isInteger(target) || target < 0 || target >= numClasses || seen[target]) {
      throw new LtlabError('CONFIG.INVALID', 'A label map must be a permutation of the class ids.', {
        details: { at: c, target },
      });
    }
    seen[target] = 1;
  }
  const out = Int32Array.from(labels, (y) => map[y] as number);
  let names: string[] | undefined;
  if (classNames !== undefined) {
    names = new Array<string>(numClasses);
    for (let c = 0; c < numClasses; c++) names[map[c] as number] = classNames[c] as string;
  }
  return { labels: out, classNames: names };
}

export function checkIndices(indices: ArrayLike<number>, size: number): Int32Array {
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (!Number.isInteger(i) || i < 0 || i >= size) {
      throw new LtlabError('CONFIG.INVALID', `Index ${i} (position ${k}) is outside the source of ${size} samples.`);
    }
    out[k] = i;
  }
  return out;
}
