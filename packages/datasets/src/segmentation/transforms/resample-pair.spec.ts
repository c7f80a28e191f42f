import { describe, expect, it } from 'vitest';
import { blockPair, labelOfPurePixel } from '../../__fixtures__/segmentation-files.js';
import { resizeBilinear, resizeNearestLabel } from './resample-pair.js';

const row = (values: number[]) => ({ data: Uint8Array.from(values), height: 1, width: values.length, channels: 1 });

describe('resizeBilinear (OpenCV INTER_LINEAR)', () => {
  it('samples at half-pixel centres, clamping at the borders', () => {
    // Positions (o + 0.5) * 0.5 - 0.5 = -0.25, 0.25, 0.75, 1.25: clamped, 1/4, 3/4, clamped.
    expect(Array.from(resizeBilinear(row([0, 100]), 1, 4).data)).toEqual([0, 25, 75, 100]);
    // Downscaling does not average (no antialiasing): positions 0.5 and 2.5.
    expect(Array.from(resizeBilinear(row([0, 40, 80, 120]), 1, 2).data)).toEqual([20, 100]);
    const same = row([1, 2]);
    expect(resizeBilinear(same, 1, 2)).toBe(same);
  });
});

describe('resizeNearestLabel', () => {
  it('takes the input pixel containing each output centre', () => {
    const label = (values: number[]) => ({ data: Uint8Array.from(values), height: 1, width: values.length });
    expect(Array.from(resizeNearestLabel(label([1, 2, 3]), 1, 6).data)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(Array.from(resizeNearestLabel(label([1, 2, 3, 4]), 1, 2).data)).toEqual([2, 4]);
    expect(Array.from(resizeNearestLabel(label([5, 255]), 1, 3).data)).toEqual([5, 255, 255]);
  });

  it('keeps labels aligned with the bilinear image at any scale', () => {
    const { image, label } = blockPair(13, 17, 4);
    for (const [h, w] of [
      [20, 9],
      [31, 40],
      [7, 7],
    ] as const) {
      const big = resizeBilinear(image, h, w);
      const labels = resizeNearestLabel(label, h, w);
      let pure = 0;
      for (let p = 0; p < h * w; p++) {
        const expected = labelOfPurePixel(big.data[p * 3] as number, big.data[p * 3 + 1] as number);
        if (expected === undefined) continue;
        pure++;
        expect(labels.data[p]).toBe(expected);
      }
      expect(pure).toBeGreaterThan((h * w) / 3);
    }
  });
});
