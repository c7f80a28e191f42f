import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { patternPixels } from '../__fixtures__/files.js';
import type { Image } from '../image.js';
import { compilePipeline, compileViews } from './pipeline.js';
import { TRANSFORMS, transformEntry, transformRegistry } from './registry.js';

/** Options that make every registered transform runnable (and random ones always fire). */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  randomCrop: { size: 12, padding: 2 },
  randomResizedCrop: { size: 10 },
  resize: { size: 8 },
  centerCrop: { size: 9 },
  horizontalFlip: { p: 1 },
  colorJitter: { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  randomGrayscale: { p: 1 },
  gaussianBlur: { p: 1 },
  randAugment: { config: 'rand-n3-m9-mstd0.5' },
  autoAugmentCifar10: {},
  cutout: { length: 4 },
  normalize: { preset: 'cifar' },
};

const image = (channels: number): Image => ({
  data: patternPixels(12, 12, channels, 5),
  height: 12,
  width: 12,
  channels,
});

describe('every registered transform', () => {
  it('has an example here, and a summary', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...TRANSFORMS.keys()].sort());
    for (const entry of transformRegistry.list()) expect(entry.summary.length, entry.name).toBeGreaterThan(10);
  });

  it('suggests the registered spelling for a kebab-case one', () => {
    expect(() => transformEntry('random-resized-crop')).toThrow(
      "Unknown transform 'random-resized-crop'; did you mean 'randomResizedCrop'?",
    );
  });

  for (const name of TRANSFORMS.keys()) {
    for (const channels of [1, 3]) {
      it(`${name} runs on ${channels}-channel images, deterministically, without touching its input`, () => {
        const pipeline = compilePipeline([{ name, ...EXAMPLES[name] }]);
        const input = image(channels);
        const before = Uint8Array.from(input.data);
        const outputs = [1, 1, 2].map((seed) => pipeline.run(input, new Rng(seed)));
        const [a, b] = outputs as [Image, Image, Image];
        expect(Array.from(a.data)).toEqual(Array.from(b.data));
        expect(a.channels).toBe(channels);
        expect(a.data.length).toBe(a.height * a.width * a.channels);
        expect(Array.from(input.data)).toEqual(Array.from(before));
      });
    }
  }

  it('rejects unknown names, bad options and a misplaced normalize', () => {
    expect(() => compilePipeline([{ name: 'randomFlip' }])).toThrow(
      expect.objectContaining({ code: 'CONFIG.UNKNOWN_NAME', fix: expect.stringContaining('horizontalFlip') }),
    );
    expect(() => compilePipeline([{ name: 'randomCrop', size: -3, padding: 'x' }])).toThrow(/size[\s\S]*padding/);
    expect(() => compilePipeline([{ name: 'normalize', preset: 'cifar' }, { name: 'horizontalFlip' }])).toThrow(
      /must be the last step/,
    );
    expect(() => compilePipeline([{ name: 'normalize', mean: [0.5] }])).toThrow(/both mean and std/);
    expect(() => compilePipeline([{ name: 'normalize', preset: 'cifar', mean: [0.5] }])).toThrow(/not both/);
    expect(() => compileViews({ views: [] })).toThrow(/views/);
  });

  it('normalises to (x / 255 - mean) / std per channel, broadcasting one value', () => {
    const pixels: Image = { data: Uint8Array.from([0, 255, 51]), height: 1, width: 1, channels: 3 };
    const out = new Float32Array(3);
    compilePipeline([{ name: 'normalize', mean: [0.5, 0.5, 0.2], std: [0.5, 0.25, 0.1] }]).writeFloat(pixels, out, 0);
    expect(Array.from(out).map((v) => Number(v.toFixed(5)))).toEqual([-1, 2, 0]);
    const gray: Image = { data: Uint8Array.from([255]), height: 1, width: 1, channels: 1 };
    compilePipeline([]).writeFloat(gray, out, 0);
    expect(out[0]).toBe(1);
  });
});
