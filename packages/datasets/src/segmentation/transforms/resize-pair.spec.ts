import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { blockPair } from '../../__fixtures__/segmentation-files.js';
import { rescaleSize, resizePair } from './resize-pair.js';
import { createPairTransform } from './segmentation-transform.js';

describe('rescaleSize (mmcv)', () => {
  it('fits the long edge within max(scale) and the short within min(scale), rounding half up', () => {
    // min(2048 / 400, 512 / 300) = 1.7067: 300 -> 512, 400 -> trunc(682.67 + 0.5) = 683.
    expect(rescaleSize(300, 400, [2048, 512])).toEqual([512, 683]);
    // A panorama is bound by its long edge: min(2048 / 4000, 512 / 500) = 0.512.
    expect(rescaleSize(500, 4000, [512, 2048])).toEqual([256, 2048]);
  });
});

describe('resize (mmseg Resize)', () => {
  const sample = blockPair(30, 40, 5);

  it('draws the ratio uniformly in ratioRange and scales the edge bounds by it', () => {
    const transform = createPairTransform(resizePair, { scale: [80, 20], ratioRange: [0.5, 2] });
    const rng = new Rng(5);
    const ratio = rng.clone().uniform() * 1.5 + 0.5;
    const out = transform.apply(sample, rng);
    const expected = rescaleSize(30, 40, [Math.trunc(80 * ratio), Math.trunc(20 * ratio)]);
    expect([out.image.height, out.image.width]).toEqual(expected);
    expect([out.label.height, out.label.width]).toEqual(expected);
  });

  it('without keepRatio gives exactly scale[0] wide and scale[1] high', () => {
    const transform = createPairTransform(resizePair, { scale: [16, 9], keepRatio: false });
    const out = transform.apply(sample, new Rng(0));
    expect([out.image.height, out.image.width, out.label.height, out.label.width]).toEqual([9, 16, 9, 16]);
  });

  it('validates its options', () => {
    expect(() => createPairTransform(resizePair, { scale: [0, 10] })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
    expect(resizePair.schema.safeParse({ scale: [10, 10], ratioRange: [2, 1] }).success).toBe(false);
    expect(resizePair.schema.safeParse({ scale: [10] }).success).toBe(false);
  });
});
