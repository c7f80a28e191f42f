import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { blockPair, labelOfPurePixel } from '../../__fixtures__/segmentation-files.js';
import type { SegmentationSample } from '../label-map.js';
import { cropIsBalanced, randomCropPair } from './random-crop-pair.js';
import { createPairTransform } from './segmentation-transform.js';

function pairFromLabel(values: number[], height: number, width: number): SegmentationSample {
  const data = Uint8Array.from(values);
  return {
    image: { data: Uint8Array.from(values, (v) => v), height, width, channels: 1 },
    label: { data, height, width },
  };
}

describe('cropIsBalanced (mmseg cat_max_ratio test)', () => {
  const label = { data: Uint8Array.from([0, 0, 0, 1, 255, 255, 255, 255]), height: 2, width: 4 };
  const whole = { top: 0, left: 0, height: 2, width: 4 };

  it('compares the largest class share of the labelled pixels with the ratio', () => {
    // Labelled pixels: three 0s and one 1 (the four 255s do not count): 3/4 = 0.75.
    expect(cropIsBalanced(label, whole, 0.75, 255)).toBe(false);
    expect(cropIsBalanced(label, whole, 0.76, 255)).toBe(true);
    // With 0 as the ignore index instead, 255 is a class covering 4 of the 5 counted pixels.
    expect(cropIsBalanced(label, whole, 0.8, 0)).toBe(false);
    expect(cropIsBalanced(label, whole, 0.81, 0)).toBe(true);
  });

  it('needs at least two classes', () => {
    expect(cropIsBalanced(label, { top: 0, left: 0, height: 1, width: 3 }, 1, 255)).toBe(false);
  });
});

describe('randomCrop (mmseg RandomCrop)', () => {
  it('crops image and label at the same offset', () => {
    const sample = blockPair(20, 30, 3);
    const crop = createPairTransform(randomCropPair, { size: [7, 11] });
    for (let seed = 0; seed < 5; seed++) {
      const out = crop.apply(sample, new Rng(seed));
      expect([out.image.height, out.image.width, out.label.height, out.label.width]).toEqual([7, 11, 7, 11]);
      for (let p = 0; p < 77; p++)
        expect(out.label.data[p]).toBe(
          labelOfPurePixel(out.image.data[p * 3] as number, out.image.data[p * 3 + 1] as number),
        );
    }
  });

  it('keeps a smaller side whole (padding is a later step)', () => {
    const out = createPairTransform(randomCropPair, { size: 8 }).apply(blockPair(5, 12, 2), new Rng(1));
    expect([out.image.height, out.image.width]).toEqual([5, 8]);
  });

  it('redraws crops dominated by one class, taking the first balanced one', () => {
    // Class 1 only in the last column: most 3x3 crops hold class 0 alone.
    const values = Array.from({ length: 8 * 8 }, (_, p) => (p % 8 === 7 ? 1 : 0));
    const sample = pairFromLabel(values, 8, 8);
    const crop = createPairTransform(randomCropPair, { size: 3, catMaxRatio: 0.75 });
    for (let seed = 0; seed < 10; seed++) {
      const rng = new Rng(seed);
      // Replay the draws: (top, left) pairs until one is balanced, at most 11.
      const replay = rng.clone();
      let left = -1;
      for (let draw = 0; draw < 11; draw++) {
        replay.int(0, 6);
        left = replay.int(0, 6);
        if (left === 5) break;
      }
      const out = crop.apply(sample, rng);
      const touchesClassOne = Array.from(out.label.data).includes(1);
      expect(touchesClassOne).toBe(left === 5);
      expect(Array.from(out.image.data)).toEqual(Array.from(out.label.data));
      // The generators agree afterwards: the transform took exactly the replayed draws.
      expect(rng.nextUint32()).toBe(replay.nextUint32());
    }
  });

  it('keeps the 11th crop when no crop can be balanced', () => {
    // One class everywhere; the image numbers the pixels so the crop position can be read back.
    const sample: SegmentationSample = {
      image: { data: Uint8Array.from({ length: 36 }, (_, p) => p), height: 6, width: 6, channels: 1 },
      label: { data: new Uint8Array(36).fill(2), height: 6, width: 6 },
    };
    const rng = new Rng(3);
    const replay = rng.clone();
    let box = [0, 0];
    for (let draw = 0; draw < 11; draw++) box = [replay.int(0, 5), replay.int(0, 5)];
    const out = createPairTransform(randomCropPair, { size: 2, catMaxRatio: 0.75 }).apply(sample, rng);
    const [top, left] = box as [number, number];
    const origin = top * 6 + left;
    expect(Array.from(out.image.data)).toEqual([origin, origin + 1, origin + 6, origin + 7]);
    expect(rng.nextUint32()).toBe(replay.nextUint32());
  });
});
