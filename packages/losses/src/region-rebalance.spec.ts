import { isLtlabError, Rng } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { thrown } from './__fixtures__/reference-math.js';
import { regionRebalanceReference } from './__fixtures__/region-rebalance-reference.js';
import { getLoss } from './registry.js';

const [P, D, H, C] = [12, 3, 5, 4];
const wave = (n: number, m: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(seed + i * 1.1 + j * 0.7)));
const FEATURES = wave(P, D, 0.3);
const LABELS = [0, 255, 2, 2, 0, 255, 3, 0, 2, 255, 3, 3];

function inputs(features: number[][], labels: number[]) {
  return {
    features: tf.tensor2d(features),
    labels: tf.tensor1d(labels, 'int32'),
    gainWeight: tf.tensor2d(wave(H, D, 1.9)),
    gainBias: tf.tensor1d(wave(1, H, 2.4)[0] as number[]),
    clsWeight: tf.tensor2d(wave(C, H, 3.3)),
    clsBias: tf.tensor1d(wave(1, C, 4.1)[0] as number[]),
    classCounts: tf.tensor1d([400, 50, 9, 120], 'int32'),
  };
}

describe.each(BACKENDS)('region-rebalance on %s', (backend) => {
  useBackend(backend);
  const rr = getLoss('region-rebalance');
  const run = (features: number[][], labels: number[]) =>
    tf.tidy(() => rr.compute(inputs(features, labels), { smooth: 0.5 }).dataSync()[0] as number);

  it('depends on the pixel grouping only, not on pixel order', () => {
    const order = [7, 3, 11, 0, 5, 9, 1, 10, 2, 8, 4, 6];
    const shuffled = run(
      order.map((i) => FEATURES[i] as number[]),
      order.map((i) => LABELS[i] as number),
    );
    expect(close(shuffled, run(FEATURES, LABELS))).toBe(true);
  });

  it('ignores ignoreIndex pixels: their features get no gradient', () => {
    tf.tidy(() => {
      const base = inputs(FEATURES, LABELS);
      const grad = tf.grad((features: tf.Tensor) => rr.compute({ ...base, features }, {}))(base.features);
      const rows = grad.arraySync() as number[][];
      LABELS.forEach((label, i) => {
        const magnitude = Math.max(...(rows[i] as number[]).map(Math.abs));
        if (label === 255) expect(magnitude).toBe(0);
        else expect(magnitude).toBeGreaterThan(0);
      });
    });
  });

  it('is 0, with zero gradients, when every pixel is ignored', () => {
    const ignored = LABELS.map(() => 255);
    expect(run(FEATURES, ignored)).toBe(0);
    tf.tidy(() => {
      const base = inputs(FEATURES, ignored);
      const grad = tf.grad((features: tf.Tensor) => rr.compute({ ...base, features }, {}))(base.features);
      expect(Array.from(grad.dataSync()).every((v) => v === 0)).toBe(true);
    });
  });

  it('rejects a label outside [0, C) that is not the ignore index', () => {
    const error = thrown(() =>
      run(
        FEATURES,
        LABELS.map((l) => (l === 3 ? 7 : l)),
      ),
    );
    expect(isLtlabError(error) && error.code).toBe('CONFIG.INVALID');
    expect(String(error)).toContain('inputs.labels[6]');
  });
});

/**
 * ADE20K (C = 150) and COCO-Stuff (C = 171) scale: 4 images of 64 x 64 pixels with 128-d features
 * (the original's projection width), a long-tailed label mix with 5% ignored pixels. The loss sums
 * regions x classes terms; a one-pass float32 sum drifts by ~1e-4 relative on wasm there.
 */
function segmentationScale(classes: number, seed: string) {
  const rng = new Rng(seed);
  const [pixels, width, hidden] = [4 * 64 * 64, 128, 64];
  const normal = (n: number, std: number) => Float32Array.from({ length: n }, () => rng.normal(0, std));
  return {
    features: normal(pixels * width, 1),
    labels: Int32Array.from({ length: pixels }, () =>
      rng.uniform() < 0.05 ? 255 : Math.floor(classes * rng.uniform() ** 3),
    ),
    gainWeight: normal(hidden * width, 1 / Math.sqrt(width)),
    gainBias: normal(hidden, 0.1),
    clsWeight: normal(classes * hidden, 1 / Math.sqrt(hidden)),
    clsBias: normal(classes, 0.1),
    classCounts: Int32Array.from({ length: classes }, (_, c) => Math.max(1, Math.round(20_000 * Math.exp(-c / 30)))),
  };
}

describe.each(BACKENDS)('region-rebalance at segmentation scale on %s', (backend) => {
  useBackend(backend);
  const rr = getLoss('region-rebalance');

  it.each([150, 171])('matches a float64 evaluation within 2e-6 relative at C = %i', (classes) => {
    const data = segmentationScale(classes, `region-rebalance-C${classes}`);
    const options = { smooth: 0.5, weight: 1, scale: 1, ignoreIndex: 255 };
    const [pixels, hidden] = [data.labels.length, data.gainBias.length];
    const loss = tf.tidy(
      () =>
        rr
          .compute(
            {
              features: tf.tensor2d(data.features, [pixels, data.features.length / pixels]),
              labels: tf.tensor1d(data.labels, 'int32'),
              gainWeight: tf.tensor2d(data.gainWeight, [hidden, data.gainWeight.length / hidden]),
              gainBias: tf.tensor1d(data.gainBias),
              clsWeight: tf.tensor2d(data.clsWeight, [classes, hidden]),
              clsBias: tf.tensor1d(data.clsBias),
              classCounts: tf.tensor1d(data.classCounts, 'int32'),
            },
            options,
          )
          .dataSync()[0] as number,
    );
    const expected = regionRebalanceReference(data, options);
    expect(Math.abs(loss - expected)).toBeLessThanOrEqual(2e-6 * Math.abs(expected));
  });
});
