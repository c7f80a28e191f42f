import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { blockPair, labelOfPurePixel } from '../../__fixtures__/segmentation-files.js';
import { compileSegmentationPipeline } from './segmentation-pipeline.js';

/** The ADE20K training pipeline of mmseg at a small scale (crop 24 instead of 512). */
const adeLike = [
  { name: 'resize', scale: [96, 24], ratioRange: [0.5, 2] },
  { name: 'randomCrop', size: 24, catMaxRatio: 0.75 },
  { name: 'randomFlip', prob: 0.5 },
  { name: 'normalize', mean: [0, 0, 0], std: [1, 1, 1] },
  { name: 'pad', size: 24 },
];

function runToFloats(spec: unknown, seed: number) {
  const pipeline = compileSegmentationPipeline(spec);
  const out = pipeline.run(blockPair(30, 40, 6), new Rng(seed));
  const [h, w] = pipeline.outputSize(out.image.height, out.image.width);
  const images = new Float32Array(2 * h * w * 3).fill(Number.NaN);
  const labels = new Int32Array(2 * h * w).fill(-7);
  // Slot 1, to check the offsets.
  pipeline.writeImage(out.image, images, 1, h, w);
  pipeline.writeLabel(out.label, labels, 1, h, w);
  return { out, h, w, images: images.subarray(h * w * 3), labels: labels.subarray(h * w), untouched: labels[0] };
}

describe('compileSegmentationPipeline', () => {
  it('keeps labels aligned through resize, crop, flip and pad, padding labels with 255', () => {
    let padded = 0;
    let pure = 0;
    for (let seed = 0; seed < 12; seed++) {
      const { out, h, w, images, labels, untouched } = runToFloats(adeLike, seed);
      expect([h, w]).toEqual([24, 24]);
      expect(untouched).toBe(-7);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const p = y * w + x;
          if (y >= out.image.height || x >= out.image.width) {
            padded++;
            expect([labels[p], images[p * 3], images[p * 3 + 2]]).toEqual([255, 0, 0]);
            continue;
          }
          // normalize with mean 0, std 1 gives x / 255: back to bytes to read the encoded label.
          const red = Math.round((images[p * 3] as number) * 255);
          const green = Math.round((images[p * 3 + 1] as number) * 255);
          const expected = labelOfPurePixel(red, green);
          if (expected === undefined) continue;
          pure++;
          expect(labels[p]).toBe(expected);
        }
      }
    }
    // Ratios below 1 shrink the 30x40 picture below the crop: some outputs must be padded.
    expect(padded).toBeGreaterThan(0);
    expect(pure).toBeGreaterThan((12 * 24 * 24 - padded) / 3);
  });

  it('is deterministic by seed', () => {
    const a = runToFloats(adeLike, 4);
    const b = runToFloats(adeLike, 4);
    expect(a.images).toEqual(b.images);
    expect(a.labels).toEqual(b.labels);
    const others = [5, 6, 7].map((seed) => runToFloats(adeLike, seed).labels);
    expect(others.some((labels) => labels.some((v, i) => v !== a.labels[i]))).toBe(true);
  });

  it('normalises like mmseg and pads the image with the pad value in normalised space', () => {
    const pipeline = compileSegmentationPipeline([
      { name: 'normalize', preset: 'imagenet' },
      { name: 'pad', size: [2, 3], padValue: 0 },
    ]);
    const image = { data: Uint8Array.from([124, 116, 104]), height: 1, width: 1, channels: 3 };
    const floats = new Float32Array(2 * 3 * 3);
    pipeline.writeImage(image, floats, 0, 2, 3);
    // (x - 255 mean) / (255 std) with mmseg's mean (123.675, 116.28, 103.53) and std (58.395, 57.12, 57.375).
    expect(floats[0]).toBeCloseTo((124 - 123.675) / 58.395, 5);
    expect(floats[1]).toBeCloseTo((116 - 116.28) / 57.12, 5);
    expect(floats[2]).toBeCloseTo((104 - 103.53) / 57.375, 5);
    expect(Array.from(floats.subarray(3))).toEqual(new Array(15).fill(0));
    const divisor = compileSegmentationPipeline([{ name: 'pad', sizeDivisor: 8 }]);
    expect(divisor.outputSize(17, 8)).toEqual([24, 8]);
    expect(() => compileSegmentationPipeline([{ name: 'pad', size: 4 }]).outputSize(5, 3)).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', fix: expect.stringContaining('randomCrop') }),
    );
  });

  it('enforces the order: pair steps, normalize, pad', () => {
    expect(() =>
      compileSegmentationPipeline([{ name: 'normalize', preset: 'imagenet' }, { name: 'randomFlip' }]),
    ).toThrow(/\[1\] 'randomFlip' comes after 'normalize'/);
    expect(() =>
      compileSegmentationPipeline([
        { name: 'pad', size: 4 },
        { name: 'normalize', preset: 'imagenet' },
      ]),
    ).toThrow(/\[1\] 'normalize' comes after 'pad'/);
    expect(() => compileSegmentationPipeline([{ name: 'randomCrop', size: 4, catMaxRatio: 2 }])).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', message: expect.stringContaining("[0] 'randomCrop' options") }),
    );
    expect(() => compileSegmentationPipeline([{ name: 'gaussianBlur' }])).toThrow(
      expect.objectContaining({ code: 'CONFIG.UNKNOWN_NAME' }),
    );
  });
});
