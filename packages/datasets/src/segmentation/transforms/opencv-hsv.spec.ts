import { describe, expect, it } from 'vitest';
import { hsvToRgb, rgbToHsv } from './opencv-hsv.js';

describe("OpenCV's 8-bit HSV", () => {
  it('gives H = degrees / 2 and S, V on 0..255 with its rounding', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0, 128, 64, 32, 90, 90, 90, 0, 0, 0]);
    // (128, 64, 32): V 128, S = round(255 * 96 / 128) = 191, H = 60 * 32 / 96 / 2 = 10.
    expect(Array.from(rgbToHsv(rgb))).toEqual([
      0, 255, 255, 60, 255, 255, 120, 255, 255, 30, 255, 255, 10, 191, 128, 0, 0, 90, 0, 0, 0,
    ]);
  });

  it('wraps negative hues to 150..179 and converts back', () => {
    // Magenta-ish red: max R, B > G gives a negative hue before the wrap.
    const hsv = rgbToHsv(Uint8Array.from([255, 0, 51]));
    expect(Array.from(hsv)).toEqual([174, 255, 255]);
    expect(Array.from(hsvToRgb(Uint8Array.from([0, 255, 255, 60, 255, 255, 10, 191, 128, 0, 0, 90])))).toEqual([
      255, 0, 0, 0, 255, 0, 128, 64, 32, 90, 90, 90,
    ]);
  });
});
