import { describe, expect, it } from 'vitest';
import { frequencyRelabelMap } from './relabel.js';
import { PixelSource } from './sources/pixel-source.js';

describe('frequencyRelabelMap', () => {
  it('ranks classes by count with ties in class order (stable)', () => {
    const counts = [50, 5, 20, 5, 100];
    expect(Array.from(frequencyRelabelMap(counts))).toEqual([3, 0, 2, 1, 4]);
    expect(Array.from(frequencyRelabelMap(counts, 'descending'))).toEqual([1, 3, 2, 4, 0]);
  });

  it('relabels a source, its counts and its class names', () => {
    const labels = Int32Array.from([0, 0, 0, 1, 2, 2]);
    const source = PixelSource.fromPixels(
      new Uint8Array(6),
      { height: 1, width: 1, channels: 1 },
      labels,
      3,
      ['a', 'b', 'c'],
      't',
    );
    const map = frequencyRelabelMap(source.classCounts);
    const relabelled = source.relabel(map);
    expect(Array.from(relabelled.labels)).toEqual([2, 2, 2, 0, 1, 1]);
    expect(Array.from(relabelled.classCounts)).toEqual([1, 2, 3]);
    expect(relabelled.classNames).toEqual(['b', 'c', 'a']);
    expect(() => source.relabel([0, 0, 1])).toThrow(/permutation/);
  });
});
