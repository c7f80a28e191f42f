import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { assignItemClasses } from './item-assignment.js';

function check(classesOf: number[][], imagesPerClass: number[], [min, max]: [number, number]): void {
  const counts = new Array(imagesPerClass.length).fill(0);
  for (const classes of classesOf) {
    expect(classes.length).toBeGreaterThanOrEqual(min);
    expect(classes.length).toBeLessThanOrEqual(max);
    expect(new Set(classes).size).toBe(classes.length);
    for (const c of classes) counts[c]++;
  }
  expect(counts).toEqual(imagesPerClass);
}

describe('assignItemClasses', () => {
  it('puts class c in exactly n_c distinct images, min..max items each', () => {
    const imagesPerClass = [40, 24, 14, 8, 5, 3, 2, 1, 1, 1];
    for (let seed = 0; seed < 5; seed++) {
      const classesOf = assignItemClasses(
        { imagesPerClass: Int32Array.from(imagesPerClass), images: 50, itemsPerImage: [1, 4] },
        new Rng(seed),
      );
      expect(classesOf.length).toBe(50);
      check(classesOf, imagesPerClass, [1, 4]);
    }
  });

  it('finds the assignment when it is tight (every image full, the head class everywhere)', () => {
    // 4 images x 3 items = 12 = 4 + 4 + 2 + 2: classes 0 and 1 must be in every image.
    const classesOf = assignItemClasses(
      { imagesPerClass: Int32Array.from([4, 4, 2, 2]), images: 4, itemsPerImage: [3, 3] },
      new Rng(1),
    );
    check(classesOf, [4, 4, 2, 2], [3, 3]);
  });

  it('is deterministic by seed and mixes classes across images', () => {
    const options = {
      imagesPerClass: Int32Array.from([30, 20, 10]),
      images: 40,
      itemsPerImage: [1, 2] as [number, number],
    };
    expect(assignItemClasses(options, new Rng(3))).toEqual(assignItemClasses(options, new Rng(3)));
    const a = assignItemClasses(options, new Rng(3));
    const b = assignItemClasses(options, new Rng(4));
    expect(a).not.toEqual(b);
    // Which classes share images is drawn, not fixed: class 2 meets class 0 and class 1 across seeds.
    const partners = new Set<number>();
    for (let seed = 0; seed < 10; seed++) {
      for (const classes of assignItemClasses(options, new Rng(seed)))
        if (classes.includes(2)) for (const c of classes) partners.add(c);
    }
    expect([...partners].sort()).toEqual([0, 1, 2]);
  });

  it('says which image counts would work when the request is impossible', () => {
    expect(() =>
      assignItemClasses({ imagesPerClass: Int32Array.from([10, 5]), images: 8, itemsPerImage: [1, 2] }, new Rng(0)),
    ).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID', fix: expect.stringContaining('between 10 and 15') }));
    expect(() =>
      assignItemClasses({ imagesPerClass: Int32Array.from([3, 3]), images: 3, itemsPerImage: [1, 3] }, new Rng(0)),
    ).toThrow(/itemsPerImage \[1, 3\]/);
  });
});
