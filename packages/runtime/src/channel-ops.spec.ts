import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelAffine, channelMeans } from './channel-ops.js';
import { initRuntime } from './init-runtime.js';
import { relativeError, seededNormal } from './testing/compare-backends.js';

/** Per-channel means in float64, the reference for the staged float32 pools. */
function float64Means(values: Float32Array, channels: number): Float64Array {
  const sums = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) sums[i % channels] = (sums[i % channels] as number) + (values[i] as number);
  return sums.map((s) => (s * channels) / values.length);
}

describe('channel ops on wasm', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
  });

  // rows 12288 = 64·64·3 pools in two stages; 268 = 4·67 stops at a prime row count; 60 is one reduction.
  for (const shape of [
    [12, 32, 32, 5],
    [268, 3],
    [4, 5, 3, 6],
    [8, 8, 8, 64],
  ]) {
    it(`channelMeans over ${shape.join('x')} equals float64 means (relative error < 1e-5), also with a mean of 1000`, () => {
      for (const shift of [0, 1000]) {
        const x = seededNormal(shape, 5, shift);
        const means = channelMeans(x);
        const channels = shape.at(-1) as number;
        expect(means.shape).toEqual([channels]);
        const expected = float64Means(x.dataSync() as Float32Array, channels);
        // Error relative to the data's spread (std 1), which is what the variance pass needs.
        const diff = relativeError(means.dataSync(), expected) * Math.max(...expected.map(Math.abs));
        expect(diff).toBeLessThan(1e-5 * Math.max(1, shift));
        tf.dispose([x, means]);
      }
    });
  }

  it('channelAffine equals x * scale + shift per channel (rank 2 and 4, relative error < 1e-6)', () => {
    for (const shape of [
      [6, 7, 9, 4],
      [33, 10],
    ]) {
      const channels = shape.at(-1) as number;
      const x = seededNormal(shape, 8);
      const scale = seededNormal([channels], 9) as tf.Tensor1D;
      const shift = seededNormal([channels], 10) as tf.Tensor1D;
      const y = channelAffine(x, scale, shift);
      expect(y.shape).toEqual(shape);
      const xv = x.dataSync();
      const sv = scale.dataSync();
      const tv = shift.dataSync();
      const expected = Float32Array.from(xv, (v, i) => v * (sv[i % channels] as number) + (tv[i % channels] as number));
      expect(relativeError(y.dataSync(), expected)).toBeLessThan(1e-6);
      tf.dispose([x, scale, shift, y]);
    }
  });
});
