import { RegionRebalanceBranch } from '@ltlab/backbones';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pixelCrossEntropy } from './pixel-cross-entropy.js';
import { regionRebalanceLoss, segmentationLoss } from './segmentation-loss.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

/**
 * Two images of 2 x 3 pixels, 3 classes; class 1 is absent from the batch, one pixel per image is
 * ignored and carries features large enough to show in any region mean that included it. The
 * decoder features are at the label size, so the branch's resize is the identity.
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
/** Images containing each class in the training set: the prior pi = (400, 50, 9) / 459. */
const IMAGE_COUNTS = [400, 50, 9];

/** The branch with hand-set frozen weights: the 1x1 conv keeps channel 0 and doubles channel 1. */
function handBranch(): RegionRebalanceBranch {
  const branch = RegionRebalanceBranch.create({
    inChannels: 2,
    numClasses: 3,
    reducedChannels: 2,
    hiddenChannels: 3,
    seed: 1,
  });
  const set = (name: string, values: number[][] | number[]) => {
    const variable = [...branch.namedParameters(), ...branch.namedBuffers()].find(([n]) => n === name)?.[1];
    if (variable === undefined) throw new Error(`no tensor ${name}`);
    tf.tidy(() => variable.assign(tf.reshape(tf.tensor(values), variable.shape)));
  };
  set('reduce.0.weight', [
    [1, 0],
    [0, 2],
  ]);
  set('gain.0.weight', [
    [1, 0, -1],
    [0, 1, 1],
  ]);
  set('gain.0.bias', [1, 1, 0.5]);
  set('img_cls.1.weight', [
    [1, 0, 0],
    [0, 1, 0],
    [1, 1, 1],
  ]);
  set('img_cls.1.bias', [0.1, 0.2, 0.3]);
  return branch;
}

/**
 * The hand computation. Conv output (a, 2b) per pixel; BN in train mode over all 12 positions
 * (ignored ones included, as BN sees the whole map): mean (17.0833, 26.8333), variance (781.9097,
 * 3461.6389). Regions over the non-ignored pixels: class 0 (5 pixels) r0 = (-0.467886, -0.428878),
 * class 2 (5 pixels) r2 = (-0.360600, -0.408482); no row for class 1. Hidden relu(r Wg + bg):
 * (0.532114, 0.571122, 0.539008) and (0.639400, 0.591518, 0.452118); logits u = h Wc + bc:
 * (1.171122, 1.310130, 0.839008) and (1.191518, 1.243636, 0.752118). With log pi added (class 1's
 * prior enters every softmax though it has no region), targets 0.5 on the region's class and 0.25
 * on each other, weight 2: L = -2 * sum t log softmax(u + log pi) / 2 = 4.425022.
 */
const HAND_LOSS = 4.425022;

describe('the Region Rebalance loss through the branch', () => {
  it('matches the hand computation for a batch with an absent class and ignored pixels', () => {
    const branch = handBranch();
    const before = tf.memory().numTensors;
    const loss = tf.tidy(() =>
      regionRebalanceLoss(
        {
          branch,
          imageCounts: tf.tensor1d(IMAGE_COUNTS, 'int32'),
          options: { weight: 2, smooth: 0.5, scale: 1, ignoreIndex: 255 },
        },
        tf.tensor4d(FEATURES),
        tf.tensor3d(LABELS, undefined, 'int32'),
        { training: true },
      ),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(HAND_LOSS, 4);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Train mode updated the branch's BN statistics: running mean = 0.1 * batch mean.
    const runningMean = branch.namedBuffers().find(([name]) => name === 'reduce.1.running_mean')?.[1];
    Array.from(runningMean?.dataSync() ?? []).forEach((v, c) => {
      expect(v).toBeCloseTo(0.1 * ([17.083333, 26.833333][c] as number), 4);
    });
    branch.dispose();
  });

  it('reaches the features only, and depends on the prior of the absent class too', () => {
    const branch = handBranch();
    tf.tidy(() => {
      const labels = tf.tensor3d(LABELS, undefined, 'int32');
      const loss = (counts: number[]) => (features: tf.Tensor) =>
        regionRebalanceLoss(
          {
            branch,
            imageCounts: tf.tensor1d(counts, 'int32'),
            options: { weight: 2, smooth: 0.5, scale: 1, ignoreIndex: 255 },
          },
          features as tf.Tensor4D,
          labels,
          { training: true },
        );
      const features = tf.tensor4d(FEATURES);
      const grad = tf.grad(loss(IMAGE_COUNTS))(features);
      expect(tf.max(tf.abs(grad)).dataSync()[0]).toBeGreaterThan(0);
      expect(branch.trainableVariables).toEqual([]);
      const rarer = loss([400, 5, 9])(features).dataSync()[0] as number;
      expect(Math.abs(rarer - HAND_LOSS)).toBeGreaterThan(1e-3);
    });
    branch.dispose();
  });

  it('adds up pixel CE, 0.4 x auxiliary CE and the region loss', () => {
    const branch = handBranch();
    tf.tidy(() => {
      const labels = tf.tensor3d(LABELS, undefined, 'int32');
      const logits = tf.tensor4d(
        Array.from({ length: 36 }, (_, i) => Math.sin(i)),
        [2, 2, 3, 3],
      );
      const auxLogits = tf.tensor4d(
        Array.from({ length: 36 }, (_, i) => Math.cos(i)),
        [2, 2, 3, 3],
      );
      const term = {
        branch,
        imageCounts: tf.tensor1d(IMAGE_COUNTS, 'int32'),
        options: { weight: 2, smooth: 0.5, scale: 1, ignoreIndex: 255 },
      };
      const outputs = { logits, auxLogits, features: tf.tensor4d(FEATURES) };
      const total = segmentationLoss(outputs, labels, { auxiliaryWeight: 0.4, regionRebalance: term });
      const main = pixelCrossEntropy(logits, labels).dataSync()[0] as number;
      const aux = pixelCrossEntropy(auxLogits, labels).dataSync()[0] as number;
      expect(total.dataSync()[0]).toBeCloseTo(main + 0.4 * aux + HAND_LOSS, 4);
      const plain = segmentationLoss({ ...outputs, auxLogits: null }, labels, {
        auxiliaryWeight: 0.4,
        regionRebalance: null,
      });
      expect(plain.dataSync()[0]).toBeCloseTo(main, 6);
    });
    branch.dispose();
  });
});
