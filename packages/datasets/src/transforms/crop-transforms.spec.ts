import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { patternPixels } from '../__fixtures__/files.js';
import type { Image } from '../image.js';
import { randomResizedCropBox } from './crop-transforms.js';
import { compilePipeline } from './pipeline.js';
import { resize } from './resample.js';

const img = (h: number, w: number, c: number, seed = 1): Image => ({
  data: patternPixels(h, w, c, seed),
  height: h,
  width: w,
  channels: c,
});
const run = (spec: Record<string, unknown>, image: Image, seed = 0) =>
  compilePipeline([spec as { name: string }]).run(image, new Rng(seed));

describe('crop and flip transforms', () => {
  it('randomCrop with padding shifts the image inside a zero border', () => {
    const input = img(8, 8, 1);
    const offsets = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const out = run({ name: 'randomCrop', size: 8, padding: 2 }, input, seed);
      // Find the shift: the output equals the input moved by (dy, dx) with zeros outside.
      let found = false;
      for (let dy = -2; dy <= 2 && !found; dy++) {
        for (let dx = -2; dx <= 2 && !found; dx++) {
          let ok = true;
          for (let y = 0; y < 8 && ok; y++) {
            for (let x = 0; x < 8 && ok; x++) {
              const sy = y + dy;
              const sx = x + dx;
              const want = sy >= 0 && sy < 8 && sx >= 0 && sx < 8 ? input.data[sy * 8 + sx] : 0;
              ok = out.data[y * 8 + x] === want;
            }
          }
          if (ok) {
            found = true;
            offsets.add(`${dy},${dx}`);
          }
        }
      }
      expect(found).toBe(true);
    }
    expect(offsets.size).toBe(25);
  });

  it('horizontalFlip mirrors each row', () => {
    const out = run(
      { name: 'horizontalFlip', p: 1 },
      { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), height: 1, width: 2, channels: 3 },
    );
    expect(Array.from(out.data)).toEqual([4, 5, 6, 1, 2, 3]);
    const kept = run({ name: 'horizontalFlip', p: 0 }, img(2, 2, 1));
    expect(Array.from(kept.data)).toEqual(Array.from(img(2, 2, 1).data));
  });

  it('centerCrop and resize follow torchvision sizes', () => {
    const cropped = run({ name: 'centerCrop', size: 4 }, img(8, 6, 3));
    expect([cropped.height, cropped.width]).toEqual([4, 4]);
    expect(Array.from(cropped.data.slice(0, 3))).toEqual(
      Array.from(img(8, 6, 3).data.slice((2 * 6 + 1) * 3, (2 * 6 + 1) * 3 + 3)),
    );
    const resized = run({ name: 'resize', size: 4 }, img(8, 16, 1));
    expect([resized.height, resized.width]).toEqual([4, 8]);
  });

  it('resize keeps constant images constant and filters when halving', () => {
    const flat: Image = { data: new Uint8Array(6 * 6 * 3).fill(77), height: 6, width: 6, channels: 3 };
    expect(new Set(resize(flat, 4, 5).data)).toEqual(new Set([77]));
    const checker: Image = {
      data: Uint8Array.from({ length: 16 }, (_, i) => (((i >> 2) + i) % 2 ? 200 : 0)),
      height: 4,
      width: 4,
      channels: 1,
    };
    // Antialiased: every output pixel mixes both colours (nearest sampling would give 0 or 200).
    for (const v of resize(checker, 2, 2).data) expect(Math.abs(v - 100)).toBeLessThan(10);
  });

  it('randomResizedCrop picks boxes inside the image with the requested area range', () => {
    const rng = new Rng(3);
    const input = img(40, 30, 3);
    for (let k = 0; k < 200; k++) {
      const box = randomResizedCropBox(input, [0.2, 1], [3 / 4, 4 / 3], rng);
      expect(box.top >= 0 && box.left >= 0 && box.top + box.height <= 40 && box.left + box.width <= 30).toBe(true);
      const area = (box.height * box.width) / (40 * 30);
      expect(area).toBeGreaterThan(0.15);
    }
    const out = run({ name: 'randomResizedCrop', size: [12, 10] }, input);
    expect([out.height, out.width, out.channels]).toEqual([12, 10, 3]);
  });

  it('cutout zeroes one clipped square of the given side', () => {
    const input: Image = { data: new Uint8Array(10 * 10).fill(9), height: 10, width: 10, channels: 1 };
    for (let seed = 0; seed < 50; seed++) {
      const out = run({ name: 'cutout', length: 4 }, input, seed);
      const zeros = out.data.filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(0);
      expect(zeros).toBeLessThanOrEqual(16);
    }
  });
});
