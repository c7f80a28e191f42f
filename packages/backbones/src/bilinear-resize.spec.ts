import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { interpolationTaps, resizeBilinear } from './bilinear-resize.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

/** Resizes a 1 x 1 x n row (or an n-row column) and reads the values back. */
function resizeLine(values: number[], outSize: number, alignCorners: boolean): number[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(values, [1, 1, values.length, 1]);
    return Array.from(resizeBilinear(x, [1, outSize], { alignCorners }).dataSync());
  });
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i] as number, 5);
  });
}

describe('bilinear resize (PyTorch semantics)', () => {
  it('align_corners=false maps pixel centres: 2 -> 4 is [x0, .75x0 + .25x1, .25x0 + .75x1, x1]', () => {
    // src = (i + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (past the last pixel).
    expectClose(resizeLine([0, 4], 4, false), [0, 1, 3, 4]);
  });

  it('align_corners=false on 3 -> 5: src = 0, 0.4, 1, 1.6, 2.2', () => {
    expectClose(resizeLine([1, 5, 2], 5, false), [1, 0.6 * 1 + 0.4 * 5, 5, 0.4 * 5 + 0.6 * 2, 2]);
  });

  it('align_corners=false downsampling 4 -> 2 reads src 0.5 and 2.5', () => {
    expectClose(resizeLine([0, 1, 2, 3], 2, false), [0.5, 2.5]);
  });

  it('align_corners=true maps corners onto corners: 2 -> 4 at src 0, 1/3, 2/3, 1', () => {
    expectClose(resizeLine([0, 3], 4, true), [0, 1, 2, 3]);
    expectClose(resizeLine([1, 5, 2], 5, true), [1, 3, 5, 3.5, 2]);
  });

  it('resizes both axes separably: a 2x2 map to 4x4 (align_corners=false)', () => {
    const out = tf.tidy(
      () => resizeBilinear(tf.tensor4d([0, 4, 8, 12], [1, 2, 2, 1]), [4, 4], { alignCorners: false }).arraySync()[0],
    ) as number[][][];
    // Bilinear interpolation reproduces the linear function 8 * r + 4 * c at the source coordinates.
    const t = [0, 0.25, 0.75, 1];
    out.forEach((row, i) => {
      row.forEach(([v], j) => {
        expect(v).toBeCloseTo(8 * (t[i] as number) + 4 * (t[j] as number), 5);
      });
    });
  });

  it('broadcasts a 1x1 map (the ASPP image-pool branch) and keeps channels apart', () => {
    const out = tf.tidy(() =>
      Array.from(resizeBilinear(tf.tensor4d([2, -1], [1, 1, 1, 2]), [2, 3], { alignCorners: false }).dataSync()),
    );
    expect(out).toEqual([2, -1, 2, -1, 2, -1, 2, -1, 2, -1, 2, -1]);
  });

  it('back-propagates the transpose of the interpolation (2 -> 4, align_corners=false)', () => {
    tf.tidy(() => {
      const weights = tf.tensor4d([1, 2, 3, 4], [1, 1, 4, 1]);
      const grad = tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(resizeBilinear(x as tf.Tensor4D, [1, 4], { alignCorners: false }), weights)),
      )(tf.tensor4d([0, 0], [1, 1, 2, 1]));
      // x0 feeds outputs with weights 1, .75, .25, 0; x1 with 0, .25, .75, 1.
      expectClose(Array.from(grad.dataSync()), [1 + 2 * 0.75 + 3 * 0.25, 2 * 0.25 + 3 * 0.75 + 4]);
    });
  });

  it("agrees with TF.js's forward resizeBilinear (halfPixelCenters = align_corners=false)", () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 5, 7, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
      for (const size of [
        [11, 16],
        [3, 4],
        [5, 7],
      ] as const) {
        const ours = resizeBilinear(x, size, { alignCorners: false });
        const theirs = tf.image.resizeBilinear(x, [size[0], size[1]], false, true);
        expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-5);
        const oursCorners = resizeBilinear(x, size, { alignCorners: true });
        const theirsCorners = tf.image.resizeBilinear(x, [size[0], size[1]], true);
        expect(tf.max(tf.abs(tf.sub(oursCorners, theirsCorners))).dataSync()[0]).toBeLessThan(1e-5);
      }
    });
  });

  it('computes taps with clamping at both ends', () => {
    const taps = interpolationTaps(2, 4, false);
    expect(Array.from(taps.lower)).toEqual([0, 0, 0, 1]);
    expect(Array.from(taps.upper)).toEqual([1, 1, 1, 1]);
    expectClose(Array.from(taps.upperWeight), [0, 0.25, 0.75, 0]);
  });

  it('leaks no tensors', () => {
    const x = tf.ones([1, 3, 3, 2]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    resizeBilinear(x, [7, 5], { alignCorners: false }).dispose();
    resizeBilinear(x, [3, 3], { alignCorners: false }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
