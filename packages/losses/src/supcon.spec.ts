import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
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
