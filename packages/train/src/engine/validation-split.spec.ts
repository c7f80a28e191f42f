import { validationSchema } from '@ltlab/config';
import { PixelSource } from '@ltlab/datasets';
import { describe, expect, it } from 'vitest';
import { holdOutValidation, validationCount } from './validation-split.js';

/** A long-tailed set of 1x1 images whose pixel is its index: 50, 20, 5 and 1 images of classes 0-3. */
function longTail(): PixelSource {
  const labels = Int32Array.from([50, 20, 5, 1].flatMap((n, c) => Array.from({ length: n }, () => c)));
  const pixels = Uint8Array.from(labels, (_, i) => i);
  return PixelSource.fromPixels(pixels, { height: 1, width: 1, channels: 1 }, labels, 4, undefined, 'long tail');
}

const indicesOf = (source: PixelSource) => Array.from(source.imageRef.rows);

describe('holdOutValidation', () => {
  it('holds out perClass images of each class, leaving every class at least one training image', () => {
    const { train, validation } = holdOutValidation(longTail(), validationSchema.parse({ perClass: 5 }));
    expect(Array.from(validation.classCounts)).toEqual([5, 5, 4, 0]);
    expect(Array.from(train.classCounts)).toEqual([45, 15, 1, 1]);
    // Disjoint, and together the whole training set.
    const all = [...indicesOf(train as PixelSource), ...indicesOf(validation as PixelSource)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 76 }, (_, i) => i));
  });

  it('holds out a fraction of each class (a long-tailed split)', () => {
    const options = validationSchema.parse({ fraction: 0.2 });
    expect([50, 20, 5, 1].map((n) => validationCount(n, options))).toEqual([10, 4, 1, 0]);
    expect(Array.from(holdOutValidation(longTail(), options).validation.classCounts)).toEqual([10, 4, 1, 0]);
  });

  it('depends on its seed only', () => {
    const pick = (seed: number) =>
      indicesOf(holdOutValidation(longTail(), validationSchema.parse({ perClass: 3, seed })).validation as PixelSource);
    expect(pick(0)).toEqual(pick(0));
    expect(pick(1)).not.toEqual(pick(0));
  });

  it('names the field path of a bad split', () => {
    expect(validationSchema.safeParse({ perClass: 3, fraction: 0.1 }).error?.issues[0]?.message).toBe(
      'set exactly one of perClass or fraction',
    );
    expect(validationSchema.safeParse({ fraction: 1 }).error?.issues[0]?.path).toEqual(['fraction']);
    expect(validationSchema.safeParse({ perClass: 2, count: 3 }).success).toBe(false);
  });
});
