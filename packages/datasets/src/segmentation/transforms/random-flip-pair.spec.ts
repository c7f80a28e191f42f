import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { randomFlipPair } from './random-flip-pair.js';
import { createPairTransform } from './segmentation-transform.js';

describe('randomFlip (mmseg RandomFlip)', () => {
  const sample = {
    image: { data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), height: 2, width: 2, channels: 3 },
    label: { data: Uint8Array.from([0, 1, 2, 255]), height: 2, width: 2 },
  };

  it('mirrors image and label together', () => {
    const out = createPairTransform(randomFlipPair, { prob: 1 }).apply(sample, new Rng(0));
    expect(Array.from(out.image.data)).toEqual([4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
    expect(Array.from(out.label.data)).toEqual([1, 0, 255, 2]);
    const vertical = createPairTransform(randomFlipPair, { prob: 1, direction: 'vertical' }).apply(sample, new Rng(0));
    expect(Array.from(vertical.label.data)).toEqual([2, 255, 0, 1]);
    // The input is untouched.
    expect(Array.from(sample.label.data)).toEqual([0, 1, 2, 255]);
  });

  it('flips with probability prob', () => {
    const flip = createPairTransform(randomFlipPair, {});
    expect(createPairTransform(randomFlipPair, { prob: 0 }).apply(sample, new Rng(0))).toBe(sample);
    let flipped = 0;
    for (let seed = 0; seed < 400; seed++) if (flip.apply(sample, new Rng(seed)) !== sample) flipped++;
    expect(flipped).toBeGreaterThan(160);
    expect(flipped).toBeLessThan(240);
  });
});
