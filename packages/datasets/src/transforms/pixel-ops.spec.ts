import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import type { Image } from '../image.js';
import { compilePipeline } from './pipeline.js';
import {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  autoContrast,
  equalize,
  gaussianBlur,
  invert,
  posterize,
  solarize,
  solarizeAdd,
  toGrayscale,
} from './pixel-ops.js';
import { parseRandAugmentConfig } from './rand-augment.js';
import { rotate } from './resample.js';

const gray = (values: number[], width = values.length): Image => ({
  data: Uint8Array.from(values),
  height: values.length / width,
  width,
  channels: 1,
});
const bytes = (image: Image) => Array.from(image.data);

describe('PIL-equivalent pixel ops', () => {
  it('invert, posterize, solarize, solarizeAdd', () => {
    expect(bytes(invert(gray([0, 100, 255])))).toEqual([255, 155, 0]);
    expect(bytes(posterize(gray([255, 130, 7]), 2))).toEqual([192, 128, 0]);
    expect(bytes(posterize(gray([255, 130]), 0))).toEqual([0, 0]);
    expect(bytes(solarize(gray([10, 127, 128, 250]), 128))).toEqual([10, 127, 127, 5]);
    expect(bytes(solarizeAdd(gray([10, 127, 128, 250]), 110))).toEqual([120, 237, 128, 250]);
  });

  it('autoContrast stretches to [0, 255]; equalize flattens the histogram', () => {
    expect(bytes(autoContrast(gray([50, 100, 150])))).toEqual([0, 127, 255]);
    expect(bytes(autoContrast(gray([9, 9])))).toEqual([9, 9]);
    const levels = Array.from({ length: 1200 }, (_, i) => 10 * (1 + Math.floor(i / 300)));
    const eq = equalize(gray(levels, 40));
    expect([0, 300, 600, 900].map((i) => eq.data[i])).toEqual([0, 100, 200, 255]);
    // Too few pixels for a step of at least one level: unchanged, as in PIL.
    expect(bytes(equalize(gray([10, 20, 30])))).toEqual([10, 20, 30]);
  });

  it('enhance ops blend with their degenerate image', () => {
    expect(bytes(adjustBrightness(gray([100, 200]), 1.5))).toEqual([150, 255]);
    // Mean 150: factor 0 gives the mean everywhere, factor 2 doubles the distance.
    expect(bytes(adjustContrast(gray([100, 200]), 0))).toEqual([150, 150]);
    expect(bytes(adjustContrast(gray([100, 200]), 2))).toEqual([50, 250]);
    const rgb: Image = { data: Uint8Array.from([255, 0, 0]), height: 1, width: 1, channels: 3 };
    expect(bytes(adjustSaturation(rgb, 0))).toEqual([76, 76, 76]);
    expect(bytes(toGrayscale(rgb))).toEqual([76, 76, 76]);
  });

  it('treats gray images as PIL mode L: saturation and hue are identities', () => {
    const g = gray([1, 2, 3, 4], 2);
    expect(bytes(adjustSaturation(g, 0))).toEqual([1, 2, 3, 4]);
    expect(bytes(adjustHue(g, 0.3))).toEqual([1, 2, 3, 4]);
    expect(toGrayscale(g).channels).toBe(1);
  });

  it('hue rotates red to green by a third of a turn', () => {
    const red: Image = { data: Uint8Array.from([255, 0, 0]), height: 1, width: 1, channels: 3 };
    expect(bytes(adjustHue(red, 1 / 3))).toEqual([0, 255, 0]);
  });

  it('blur keeps the mean of a constant image and smooths an impulse', () => {
    const impulse = gray([0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 5);
    const blurred = gaussianBlur(impulse, 1);
    expect(blurred.data[12]).toBeLessThan(255);
    expect(blurred.data[12]).toBeGreaterThan(blurred.data[11] as number);
    expect(bytes(gaussianBlur(gray([80, 80, 80, 80], 2), 1.5))).toEqual([80, 80, 80, 80]);
  });

  it('rotates counter-clockwise about the centre', () => {
    // 2x2: [[1, 2], [3, 4]] rotated 90 degrees counter-clockwise is [[2, 4], [1, 3]].
    expect(bytes(rotate(gray([1, 2, 3, 4], 2), 90, 'nearest', [0]))).toEqual([2, 4, 1, 3]);
  });
});

describe('RandAugment and AutoAugment', () => {
  it('parses timm config strings', () => {
    expect(parseRandAugmentConfig('rand-n2-m10-mstd0.5')).toEqual({ n: 2, m: 10, mstd: 0.5 });
    expect(parseRandAugmentConfig('rand-m9-n3')).toEqual({ n: 3, m: 9, mstd: 0 });
    expect(() => parseRandAugmentConfig('rand-n2-w0')).toThrow(/unknown part 'w0'/);
    expect(() => parseRandAugmentConfig('auto-n2')).toThrow(/start with 'rand'/);
  });

  it('changes most images at m 10 and leaves them all unchanged at n ops never applied', () => {
    const input: Image = {
      data: Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 29) % 256),
      height: 8,
      width: 8,
      channels: 3,
    };
    const pipeline = compilePipeline([{ name: 'randAugment', config: 'rand-n2-m10-mstd0.5' }]);
    let changed = 0;
    for (let seed = 0; seed < 100; seed++) {
      if (bytes(pipeline.run(input, new Rng(seed))).join() !== bytes(input).join()) changed++;
    }
    // Each of 2 ops applies with p 0.5 (P(neither) = 0.25); a few ops can be no-ops on some images.
    expect(changed).toBeGreaterThan(55);
    expect(changed).toBeLessThan(90);
  });

  it('AutoAugment changes a fraction of images consistent with the policy probabilities', () => {
    const input: Image = {
      data: Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 13) % 256),
      height: 8,
      width: 8,
      channels: 3,
    };
    const pipeline = compilePipeline([{ name: 'autoAugmentCifar10' }]);
    let changed = 0;
    for (let seed = 0; seed < 200; seed++)
      if (bytes(pipeline.run(input, new Rng(seed))).join() !== bytes(input).join()) changed++;
    expect(changed).toBeGreaterThan(100);
    expect(changed).toBeLessThan(200);
  });
});
