import { LtlabError } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BN_EPSILON } from './batch-norm.js';
import { RegionRebalanceBranch } from './region-rebalance-branch.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

/**
 * A batch of 2 images of 2 x 3 pixels, 3 classes, class 1 absent, one ignored pixel per image.
 * Decoder features have 2 channels; the ignored pixels carry large values that would show in
 * any mean that included them.
 */
const LABELS = [
  [
    [0, 0, 2],
    [255, 2, 2],
  ],
  [
    [0, 255, 0],
    [2, 2, 0],
  ],
];
const FEATURES = [
  [
    [
      [1, 0],
      [3, 1],
      [5, 2],
    ],
    [
      [100, 100],
      [7, 3],
      [9, 4],
    ],
  ],
  [
    [
      [2, -1],
      [50, 50],
      [4, 1],
    ],
    [
      [6, 0],
      [8, -2],
      [10, 3],
    ],
  ],
];

function set(branch: RegionRebalanceBranch, name: string, values: number[] | number[][]): void {
  const all = [...branch.namedParameters(), ...branch.namedBuffers()];
  const variable = all.find(([n]) => n === name)?.[1];
  if (variable === undefined) throw new Error(`no tensor ${name}`);
  tf.tidy(() => variable.assign(tf.reshape(tf.tensor(values), variable.shape)));
}

/**
 * Hand-set weights: the 1x1 conv keeps channel 0 and doubles channel 1; BN in evaluation is the
 * identity (running variance 1 - eps); gain and classifier are small matrices.
 */
function handBranch(options: { dropout?: number; scale?: number } = {}): RegionRebalanceBranch {
  const branch = RegionRebalanceBranch.create({
    inChannels: 2,
    numClasses: 3,
    reducedChannels: 2,
    hiddenChannels: 3,
    dropout: options.dropout ?? 0.1,
    scale: options.scale ?? 2,
    seed: 1,
  });
  set(branch, 'reduce.0.weight', [
    [1, 0],
    [0, 2],
  ]);
  set(branch, 'reduce.1.running_var', [1 - BN_EPSILON, 1 - BN_EPSILON]);
  set(branch, 'gain.0.weight', [
    [1, 0, -1],
    [0, 1, 1],
  ]);
  set(branch, 'gain.0.bias', [0, -2, 0.5]);
  set(branch, 'img_cls.1.weight', [
    [1, 0, 0],
    [0, 1, 0],
    [1, 1, 1],
  ]);
  set(branch, 'img_cls.1.bias', [0.1, 0.2, 0.3]);
  return branch;
}

function expectRows(actual: tf.Tensor, expected: number[][]): void {
  expect(actual.shape).toEqual([expected.length, expected[0]?.length ?? actual.shape[1]]);
  (actual.arraySync() as number[][]).forEach((row, i) => {
    row.forEach((v, j) => {
      expect(v).toBeCloseTo(expected[i]?.[j] as number, 4);
    });
  });
}

describe('Region Rebalance branch', () => {
  it('pools batch-level class regions, skipping ignored pixels and absent classes (hand computation)', () => {
    const branch = handBranch();
    const features = tf.tensor4d(FEATURES);
    const labels = tf.tensor3d(LABELS, undefined, 'int32');
    const out = branch.forward(features, labels, { training: false });
    // Class 0: (1,0) (3,1) (2,-1) (4,1) (10,3) -> mean (4, 0.8); the conv doubles channel 1: (4, 1.6).
    // Class 2: (5,2) (7,3) (9,4) (6,0) (8,-2) -> mean (7, 1.4) -> (7, 2.8). Class 1: no row.
    expect(out.classes).toEqual([0, 2]);
    expect(Array.from(out.regionClasses.dataSync())).toEqual([0, 2]);
    expectRows(out.regionFeatures, [
      [4, 1.6],
      [7, 2.8],
    ]);
    // u = (relu(r Wg + bg) Wc + bc) * 2:
    // r0: (4, 1.6, -2.4) + (0, -2, 0.5) -> relu (4, 0, 0) -> (4, 0, 0) + b = (4.1, 0.2, 0.3) -> x2.
    // r1: (7, 2.8, -4.2) + b -> relu (7, 0.8, 0) -> (7, 0.8, 0) + b = (7.1, 1.0, 0.3) -> x2.
    expectRows(out.regionLogits, [
      [8.2, 0.4, 0.6],
      [14.2, 2.0, 0.6],
    ]);
    tf.dispose([features, labels, ...Object.values(out).filter((v) => v instanceof tf.Tensor)]);
    branch.dispose();
  });

  it("gives @ltlab/losses' region-rebalance its inputs: pixel rows, labels and the projection in [out, in] layout", () => {
    const branch = handBranch();
    tf.tidy(() => {
      const out = branch.forward(tf.tensor4d(FEATURES), tf.tensor3d(LABELS, undefined, 'int32'), { training: false });
      expect(out.pixelFeatures.shape).toEqual([12, 2]);
      expect(Array.from(out.pixelLabels.dataSync())).toEqual(LABELS.flat(2));
      const { gainWeight, gainBias, clsWeight, clsBias } = branch.lossProjection();
      expect(gainWeight.shape).toEqual([3, 2]);
      expect(clsWeight.shape).toEqual([3, 3]);
      // The loss's own region step (one-hot^T features / counts) and projection reproduce the branch's
      // region logits in evaluation (no dropout), given the branch's scale.
      const present = [0, 2];
      const members = tf.tensor2d(
        LABELS.flat(2).map((label) => present.map((c) => (label === c ? 1 : 0))),
        [12, 2],
      );
      const regions = tf.div(tf.matMul(members, out.pixelFeatures, true), tf.expandDims(tf.sum(members, 0), 1));
      const hidden = tf.relu(tf.add(tf.matMul(regions, gainWeight, false, true), gainBias));
      const logits = tf.mul(tf.add(tf.matMul(hidden, clsWeight, false, true), clsBias), 2);
      expect(tf.max(tf.abs(tf.sub(logits, out.regionLogits))).dataSync()[0]).toBeLessThan(1e-5);
    });
    branch.dispose();
  });

  it('resizes the projected features to the label size with align_corners=true', () => {
    const branch = handBranch();
    tf.tidy(() => {
      // A 2x2 map to 3x3: the centre is the mean of the four corners, edges the mean of two.
      const features = tf.tensor4d([0, 0, 2, 0, 4, 0, 6, 0], [1, 2, 2, 2]);
      const pixels = branch.projectPixels(features, [3, 3], { training: false });
      expect(Array.from(tf.slice(pixels, [0, 0, 0, 0], [1, 3, 3, 1]).dataSync()).map((v) => +v.toFixed(4))).toEqual([
        0, 1, 2, 2, 3, 4, 4, 5, 6,
      ]);
    });
    branch.dispose();
  });

  it('is frozen: no trainable tensor, the gradient only passes through to the features; BN statistics still update', () => {
    const branch = handBranch();
    expect(branch.trainableVariables).toEqual([]);
    expect(branch.namedParameters().every(([, v]) => !v.trainable)).toBe(true);
    expect(branch.namedParameters().map(([name]) => name)).toEqual([
      'reduce.0.weight',
      'reduce.1.weight',
      'reduce.1.bias',
      'gain.0.weight',
      'gain.0.bias',
      'img_cls.1.weight',
      'img_cls.1.bias',
    ]);
    const features = tf.tensor4d(FEATURES);
    const labels = tf.tensor3d(LABELS, undefined, 'int32');
    const runningMean = () => Array.from(branch.namedBuffers()[0]?.[1].dataSync() ?? []);
    const before = runningMean();
    // Evaluation leaves the running statistics alone and sends no gradient to ignored pixels.
    const evalGrad = tf.grad((f: tf.Tensor) => {
      const out = branch.forward(f as tf.Tensor4D, labels, { training: false });
      const loss = tf.sum(out.regionLogits);
      tf.dispose([out.regionFeatures, out.pixelFeatures, out.pixelLabels, out.regionClasses]);
      return loss;
    })(features);
    expect(runningMean()).toEqual(before);
    const rows = tf.tidy(() => tf.reshape(tf.sum(tf.abs(evalGrad), 3), [12]).arraySync() as number[]);
    LABELS.flat(2).forEach((label, i) => {
      if (label === 255) expect(rows[i]).toBe(0);
      else expect(rows[i]).toBeGreaterThan(0);
    });
    // Training: batch statistics, running mean = 0.9 * 0 + 0.1 * batch mean of the conv output.
    const out = branch.forward(features, labels, { training: true, dropoutSeed: 1 });
    const conv = FEATURES.flat(2).map(([a, b]) => [a as number, 2 * (b as number)]);
    const batchMean = [0, 1].map((c) => conv.reduce((s, p) => s + (p[c] as number), 0) / conv.length);
    runningMean().forEach((v, c) => {
      expect(v).toBeCloseTo(0.1 * (batchMean[c] as number), 4);
    });
    tf.dispose([features, labels, evalGrad, ...Object.values(out).filter((v) => v instanceof tf.Tensor)]);
    branch.dispose();
  });

  it('drops hidden units element-wise between the ReLU and the region classifier, in training only', () => {
    const branch = RegionRebalanceBranch.create({
      inChannels: 2,
      numClasses: 8,
      reducedChannels: 2,
      hiddenChannels: 8,
      dropout: 0.5,
    });
    // Classifier = identity, bias 0, so the region logits are the dropped hidden units themselves.
    set(
      branch,
      'img_cls.1.weight',
      Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : 0))),
    );
    set(branch, 'img_cls.1.bias', new Array(8).fill(0));
    set(branch, 'gain.0.bias', new Array(8).fill(5)); // every hidden unit positive
    tf.tidy(() => {
      const regions = tf.tensor2d([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8], [4, 2]);
      const hidden = branch.classify(regions, { training: false, dropoutSeed: 0 }).arraySync() as number[][];
      const dropped = branch.classify(regions, { training: true, dropoutSeed: 3 }).arraySync() as number[][];
      let zeros = 0;
      dropped.forEach((row, i) => {
        row.forEach((v, j) => {
          if (v === 0) zeros += 1;
          else expect(v).toBeCloseTo(2 * (hidden[i]?.[j] as number), 4);
        });
        // Element-wise: a row keeps some units and loses others.
        expect(row.some((v) => v === 0) && row.some((v) => v !== 0)).toBe(true);
      });
      expect(zeros).toBeGreaterThan(4);
      expect(zeros).toBeLessThan(28);
      const again = branch.classify(regions, { training: true, dropoutSeed: 3 }).arraySync();
      expect(again).toEqual(dropped);
    });
    branch.dispose();
  });

  it('sums regions over more pixels than one membership chunk (65,536) exactly', () => {
    const branch = RegionRebalanceBranch.create({ inChannels: 1, numClasses: 3, reducedChannels: 1 });
    // 2 x 200 x 200 = 80,000 pixels; label i % 4 (3 -> ignored), value i % 1000.
    const count = 80_000;
    const labelValues = Int32Array.from({ length: count }, (_, i) => (i % 4 === 3 ? 255 : i % 4));
    const sums = [0, 0, 0];
    const counts = [0, 0, 0];
    for (let i = 0; i < count; i++) {
      const label = labelValues[i] as number;
      if (label === 255) continue;
      sums[label] = (sums[label] as number) + (i % 1000);
      counts[label] = (counts[label] as number) + 1;
    }
    tf.tidy(() => {
      const pixels = tf.tensor4d(
        Float32Array.from({ length: count }, (_, i) => i % 1000),
        [2, 200, 200, 1],
      );
      const labels = tf.tensor3d(labelValues, [2, 200, 200], 'int32');
      const { regionFeatures, classes } = branch.regions(pixels, labels);
      expect(classes).toEqual([0, 1, 2]);
      expectRows(
        regionFeatures,
        sums.map((sum, c) => [sum / (counts[c] as number)]),
      );
    });
    branch.dispose();
  });

  it('gives zero regions when every pixel is ignored', () => {
    const branch = handBranch();
    tf.tidy(() => {
      const labels = tf.fill([2, 2, 3], 255, 'int32') as tf.Tensor3D;
      const out = branch.forward(tf.tensor4d(FEATURES), labels, { training: false });
      expect(out.classes).toEqual([]);
      expect(out.regionLogits.shape).toEqual([0, 3]);
      expect(out.regionFeatures.shape).toEqual([0, 2]);
    });
    branch.dispose();
  });

  it('rejects labels outside 0..C-1 that are not the ignore index, naming the pixel', () => {
    const branch = handBranch();
    const labels = tf.tensor3d(
      LABELS.map((image, b) => image.map((row, r) => row.map((v, c) => (b === 1 && r === 0 && c === 2 ? 7 : v)))),
      undefined,
      'int32',
    );
    const features = tf.tensor4d(FEATURES);
    const before = tf.memory().numTensors;
    try {
      branch.forward(features, labels, { training: false });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LtlabError);
      expect((error as LtlabError).code).toBe('CONFIG.INVALID');
      expect((error as LtlabError).message).toContain('Label 7 at image 1, row 0, column 2');
    }
    expect(tf.memory().numTensors).toBe(before);
    const wide = tf.zeros([2, 2, 3, 5]) as tf.Tensor4D;
    expect(() => branch.forward(wide, labels, { training: false })).toThrow(/inChannels/);
    wide.dispose();
    tf.dispose([labels, features]);
    branch.dispose();
  });

  it('leaks no tensors over a training forward and its disposal', () => {
    const branch = handBranch();
    const features = tf.tensor4d(FEATURES);
    const labels = tf.tensor3d(LABELS, undefined, 'int32');
    const before = tf.memory().numTensors;
    const out = branch.forward(features, labels, { training: true });
    const projection = branch.lossProjection();
    tf.dispose([...Object.values(out).filter((v) => v instanceof tf.Tensor), ...Object.values(projection)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, labels]);
    branch.dispose();
  });
});
