import { Rng } from '@ltlab/core';
import { relativeError } from '@ltlab/runtime/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { numericGradient, smallestMaskedExpSum, supconReference } from './__fixtures__/supcon-reference.js';
import { getLoss } from './registry.js';

function unitFeatures(batch: number, views: number, width: number): number[][][] {
  return Array.from({ length: batch }, (_, b) =>
    Array.from({ length: views }, (_, v) => {
      const row = Array.from({ length: width }, (_, d) => Math.sin(1 + b * 3.1 + v * 1.7 + d * 0.9));
      const norm = Math.hypot(...row);
      return row.map((x) => x / norm);
    }),
  );
}

describe.each(BACKENDS)('supcon on %s', (backend) => {
  useBackend(backend);
  const supcon = getLoss('supcon');
  const run = (features: number[][][], labels: number[] | null, options: Record<string, unknown> = {}) =>
    tf.tidy(
      () =>
        supcon
          .compute(
            { features: tf.tensor3d(features), labels: labels === null ? null : tf.tensor1d(labels, 'int32') },
            options,
          )
          .dataSync()[0] as number,
    );

  it('equals SimCLR when every label is distinct', () => {
    const features = unitFeatures(4, 2, 5);
    for (const contrastMode of ['all', 'one']) {
      expect(close(run(features, [3, 0, 2, 1], { contrastMode }), run(features, null, { contrastMode }))).toBe(true);
    }
  });

  it('counts anchors without a positive as 0 in the mean', () => {
    expect(run(unitFeatures(3, 1, 4), [0, 1, 2])).toBe(0);
    const withOnePair = run(unitFeatures(3, 1, 4), [0, 1, 1]);
    expect(withOnePair).toBeGreaterThan(0);
    expect(Number.isFinite(withOnePair)).toBe(true);
  });

  it('scales by T / baseTemperature', () => {
    const features = unitFeatures(4, 2, 5);
    const base = run(features, [0, 0, 1, 1], { temperature: 0.1, baseTemperature: 0.1 });
    const scaled = run(features, [0, 0, 1, 1], { temperature: 0.1, baseTemperature: 0.05 });
    expect(close(scaled, 2 * base)).toBe(true);
  });
});

/** Seeded Gaussian features scaled to norm `norm`, rounded to float32 so both sides see the same inputs. */
function scaledFeatures(batch: number, views: number, width: number, norm: number, seed: string): number[][][] {
  const rng = new Rng(seed);
  return Array.from({ length: batch }, () =>
    Array.from({ length: views }, () => {
      const row = Array.from({ length: width }, () => rng.normal());
      const length = Math.hypot(...row);
      return row.map((x) => Math.fround((norm * x) / length));
    }),
  );
}

describe.each(BACKENDS)('supcon numerics on %s', (backend) => {
  useBackend(backend);
  const supcon = getLoss('supcon');
  // Un-normalised features (norm 3) at T = 0.07: each self logit is ~130, far above the others.
  const FEATURES = scaledFeatures(8, 2, 16, 3, 'supcon-norm-3-4');
  const LABELS = [0, 1, 0, 1, 2, 2, 3, 0];

  it.each(['all', 'one'] as const)(
    'has a finite gradient matching float64 at norm 3, T = 0.07 (contrastMode %s)',
    (contrastMode) => {
      const options = { temperature: 0.07, baseTemperature: 0.07, contrastMode };
      // The case: the reference's masked row sum is a float32 subnormal, so its loss is finite
      // but 1 / sum (the log's gradient) overflows float32 and meets the self mask's 0: NaN.
      const smallest = smallestMaskedExpSum(FEATURES, options);
      expect(smallest).toBeGreaterThan(2 ** -140);
      expect(smallest).toBeLessThan(2 ** -128);
      const expectedLoss = supconReference(FEATURES, LABELS, options);
      const expectedGrad = numericGradient((f) => supconReference(f, LABELS, options), FEATURES).flat(2);

      const { loss, grad } = tf.tidy(() => {
        const labels = tf.tensor1d(LABELS, 'int32');
        const { value, grad } = tf.valueAndGrad((features: tf.Tensor) => supcon.compute({ features, labels }, options))(
          tf.tensor3d(FEATURES),
        );
        return { loss: value.dataSync()[0] as number, grad: Array.from(grad.dataSync()) };
      });
      expect(grad.every(Number.isFinite)).toBe(true);
      expect(close(loss, expectedLoss)).toBe(true);
      expect(relativeError(grad, expectedGrad)).toBeLessThan(1e-5);
    },
  );
});
