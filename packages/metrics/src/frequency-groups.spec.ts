import { describe, expect, it } from 'vitest';
import { frequencyGroupSizes, frequencyGroupsOf } from './frequency-groups.js';
import { SHOT_THRESHOLDS, shotGroupOf } from './shot-thresholds.js';

describe('frequency groups', () => {
  it('splits the classes into terciles by image count, ties to the lower class id', () => {
    // Ranks: c2 (500), c5 (80) | c0 (50), c3 (20) | c1 (5), c4 (5: tie, after c1).
    expect(frequencyGroupsOf([50, 5, 500, 20, 5, 80])).toEqual(['body', 'tail', 'head', 'body', 'tail', 'head']);
    expect(frequencyGroupsOf([7, 7, 7])).toEqual(['head', 'body', 'tail']);
  });

  it('gives floor(3r / C) group sizes: the head takes the remainder first', () => {
    const sizes = (c: number) => frequencyGroupSizes(Array.from({ length: c }, (_, k) => c - k));
    expect(sizes(150)).toEqual({ head: 50, body: 50, tail: 50 });
    expect(sizes(171)).toEqual({ head: 57, body: 57, tail: 57 });
    expect(sizes(19)).toEqual({ head: 7, body: 6, tail: 6 });
    expect(sizes(11)).toEqual({ head: 4, body: 4, tail: 3 });
    expect(sizes(10)).toEqual({ head: 4, body: 3, tail: 3 });
    expect(sizes(2)).toEqual({ head: 1, body: 1, tail: 0 });
    expect(sizes(1)).toEqual({ head: 1, body: 0, tail: 0 });
  });

  it('puts fixed image-count thresholds on the sides of SHOT_THRESHOLDS', () => {
    const grouping = { by: 'image-count', headAbove: SHOT_THRESHOLDS.many, tailBelow: SHOT_THRESHOLDS.few } as const;
    const counts = [101, 100, 20, 19, 0];
    expect(frequencyGroupsOf(counts, grouping)).toEqual(['head', 'body', 'body', 'tail', 'tail']);
    const asShots = { many: 'head', medium: 'body', few: 'tail' } as const;
    expect(counts.map((n) => asShots[shotGroupOf(n)])).toEqual(frequencyGroupsOf(counts, grouping));
  });

  it('rejects bad counts and groupings with CONFIG.INVALID', () => {
    expect(() => frequencyGroupsOf([])).toThrow(/image count of each class/);
    expect(() => frequencyGroupsOf([3, -1])).toThrow(/imageCounts\[1\] is -1/);
    expect(() => frequencyGroupsOf([3, 1.5])).toThrow(/imageCounts\[1\] is 1.5/);
    expect(() => frequencyGroupsOf([3], { by: 'image-count', headAbove: 10, tailBelow: 20 })).toThrow(/tailBelow/);
    expect(() => frequencyGroupsOf([3], { by: 'quartiles' } as never)).toThrow(/Invalid frequency grouping/);
  });
});
