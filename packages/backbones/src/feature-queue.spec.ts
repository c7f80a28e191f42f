import { LtlabError } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureQueue } from './feature-queue.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

function rows(queue: FeatureQueue): { features: number[][]; labels: number[] } {
  const { features, labels } = queue.snapshot();
  const out = { features: features.arraySync(), labels: labels.arraySync() };
  tf.dispose([features, labels]);
  return out;
}

describe('FeatureQueue', () => {
  it('reproduces the original init quirk: columns (not rows) have unit norm, labels in [0, C)', () => {
    const queue = FeatureQueue.create({ size: 64, dim: 4, numClasses: 3, seed: 1 });
    const { features, labels } = rows(queue);
    for (let c = 0; c < 4; c++) {
      expect(Math.hypot(...features.map((row) => row[c] as number))).toBeCloseTo(1, 5);
    }
    // Rows have norm about sqrt(d / K) = 0.25, far from 1.
    const meanRowNorm = features.reduce((sum, row) => sum + Math.hypot(...row), 0) / 64;
    expect(meanRowNorm).toBeGreaterThan(0.15);
    expect(meanRowNorm).toBeLessThan(0.35);
    expect(labels.every((label) => Number.isInteger(label) && label >= 0 && label < 3)).toBe(true);
    expect(new Set(labels).size).toBe(3);
    expect(queue.pointer).toBe(0);
    queue.dispose();

    const unit = FeatureQueue.create({ size: 8, dim: 4, numClasses: 3, init: 'unit-rows' });
    for (const row of rows(unit).features) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    unit.dispose();
  });

  it('enqueues at the pointer, advances it mod K, wraps around, and leaves earlier snapshots alone', () => {
    const queue = FeatureQueue.create({ size: 6, dim: 2, numClasses: 5, seed: 2 });
    const initial = rows(queue);
    const before = queue.snapshot();

    const keys = (values: number[][]) => tf.tensor2d(values);
    const labels = (values: number[]) => tf.tensor1d(values, 'int32');
    const k1 = keys([
      [1, 1],
      [2, 2],
    ]);
    const l1 = labels([4, 3]);
    queue.enqueue(k1, l1);
    expect(queue.pointer).toBe(2);
    let now = rows(queue);
    expect(now.features.slice(0, 2)).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(now.features.slice(2)).toEqual(initial.features.slice(2));
    expect(now.labels).toEqual([4, 3, ...initial.labels.slice(2)]);
    // The snapshot taken before the enqueue still holds the old contents.
    expect(before.features.arraySync()).toEqual(initial.features);

    const k2 = keys([
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    const l2 = labels([0, 1, 2]);
    queue.enqueue(k2, l2);
    expect(queue.pointer).toBe(5);
    // Crosses the end: rows 5, 0, 1 take the batch.
    const k3 = keys([
      [6, 6],
      [7, 7],
      [8, 8],
    ]);
    const l3 = labels([1, 1, 0]);
    queue.enqueue(k3, l3);
    expect(queue.pointer).toBe(2);
    now = rows(queue);
    expect(now.features).toEqual([
      [7, 7],
      [8, 8],
      [3, 3],
      [4, 4],
      [5, 5],
      [6, 6],
    ]);
    expect(now.labels).toEqual([1, 0, 0, 1, 2, 1]);
    tf.dispose([before.features, before.labels, k1, l1, k2, l2, k3, l3]);
    queue.dispose();
  });

  it('exports and restores its state, and rejects bad input', async () => {
    const queue = FeatureQueue.create({ size: 4, dim: 2, numClasses: 2 });
    const k = tf.tensor2d([[9, 9]]);
    const l = tf.tensor1d([1], 'int32');
    queue.enqueue(k, l);
    const state = await queue.exportState();
    const other = FeatureQueue.create({ size: 4, dim: 2, numClasses: 2, seed: 7 });
    other.loadState(state);
    expect(rows(other)).toEqual(rows(queue));
    expect(other.pointer).toBe(1);

    expect(() => other.loadState({ ...state, pointer: 4 })).toThrow(LtlabError);
    expect(() => other.loadState({ ...state, features: { ...state.features, values: new Float32Array(3) } })).toThrow(
      /CHECKPOINT|Damaged/,
    );
    const wide = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(() => queue.enqueue(wide, l)).toThrow(/keys \[B, 2\]/);
    const tooMany = tf.zeros([5, 2]) as tf.Tensor2D;
    const tooManyLabels = tf.zeros([5], 'int32') as tf.Tensor1D;
    expect(() => queue.enqueue(tooMany, tooManyLabels)).toThrow(/does not fit/);
    expect(() => FeatureQueue.create({ size: 0, dim: 2, numClasses: 2 })).toThrow(/size/);
    tf.dispose([k, l, wide, tooMany, tooManyLabels]);
    queue.dispose();
    other.dispose();
  });
});
