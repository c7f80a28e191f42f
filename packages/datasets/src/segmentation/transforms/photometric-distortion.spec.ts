import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { blockPair } from '../../__fixtures__/segmentation-files.js';
import { hsvToRgb, rgbToHsv } from './opencv-hsv.js';
import { photoMetricDistortion } from './photometric-distortion.js';
import { createPairTransform } from './segmentation-transform.js';

/**
 * mmseg's PhotoMetricDistortion written out draw by draw (numpy's randint(2) is a coin,
 * randint(-18, 18) excludes 18), to check the transform takes the same draws in the same order.
 */
function replay(pixels: Uint8Array, channels: number, rng: Rng): Uint8Array {
  const coin = () => rng.int(0, 2) === 1;
  const convert = (x: number) => (x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x));
  let out: Uint8Array = Uint8Array.from(pixels);
  const contrast = () => {
    if (coin()) {
      const alpha = rng.uniform(0.5, 1.5);
      out = out.map((v) => convert(v * alpha));
    }
  };
  if (coin()) {
    const beta = rng.uniform(-32, 32);
    out = out.map((v) => convert(v + beta));
  }
  const mode = coin();
  if (mode) contrast();
  if (coin()) {
    const alpha = rng.uniform(0.5, 1.5);
    if (channels === 3) {
      const hsv = rgbToHsv(out);
      for (let i = 1; i < hsv.length; i += 3) hsv[i] = convert((hsv[i] as number) * alpha);
      out = hsvToRgb(hsv);
    }
  }
  if (coin()) {
    const shift = rng.int(-18, 18);
    if (channels === 3) {
      const hsv = rgbToHsv(out);
      for (let i = 0; i < hsv.length; i += 3) hsv[i] = ((hsv[i] as number) + shift + 180) % 180;
      out = hsvToRgb(hsv);
    }
  }
  if (!mode) contrast();
  return out;
}

describe('photoMetricDistortion (mmseg PhotoMetricDistortion)', () => {
  const distort = createPairTransform(photoMetricDistortion, {});
  const colour = blockPair(6, 6, 2);
  colour.image.data.forEach((_, i) => {
    colour.image.data[i] = (i * 37 + 11) % 256;
  });
  const gray = {
    image: { data: Uint8Array.from({ length: 36 }, (_, i) => i * 7), height: 6, width: 6, channels: 1 },
    label: colour.label,
  };

  it('takes the draws of mmseg in its order, for colour and gray images', () => {
    for (let seed = 0; seed < 24; seed++) {
      for (const sample of [colour, gray]) {
        const out = distort.apply(sample, new Rng(seed));
        expect(Array.from(out.image.data)).toEqual(
          Array.from(replay(sample.image.data, sample.image.channels, new Rng(seed))),
        );
        expect(out.label).toBe(sample.label);
      }
    }
  });

  it('is deterministic by seed and leaves its input alone', () => {
    const before = Uint8Array.from(colour.image.data);
    const a = distort.apply(colour, new Rng(7));
    const b = distort.apply(colour, new Rng(7));
    expect(a.image.data).toEqual(b.image.data);
    expect(colour.image.data).toEqual(before);
    const changed = Array.from({ length: 8 }, (_, seed) => distort.apply(colour, new Rng(100 + seed)).image.data);
    expect(changed.some((data) => data.some((v, i) => v !== before[i]))).toBe(true);
  });

  it('adds brightness in float and truncates after clipping', () => {
    // Only brightness: contrast and saturation factors of 1, no hue shift.
    const brightness = createPairTransform(photoMetricDistortion, {
      contrastRange: [1, 1],
      saturationRange: [1, 1],
      hueDelta: 0,
    });
    const seed = Array.from({ length: 50 }, (_, s) => s).find((s) => new Rng(s).int(0, 2) === 1) as number;
    const rng = new Rng(seed);
    const probe = rng.clone();
    probe.int(0, 2);
    const beta = probe.uniform(-32, 32);
    const out = brightness.apply(gray, rng);
    expect(Array.from(out.image.data)).toEqual(
      Array.from(gray.image.data, (v) => Math.min(255, Math.max(0, Math.trunc(v + beta)))),
    );
  });
});
