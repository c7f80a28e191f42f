import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RegionRebalanceBranch } from './region-rebalance-branch.js';
import type { SegmentationModel } from './segmentation-model.js';
import { createSegmentationModel, type SegmentationModelOptions } from './segmentation-registry.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

const CLASSES = 3;
/** Narrow enough for the cpu backend: trunk widths 8/16/32/64 (basic) and heads of 16 channels. */
const TINY: SegmentationModelOptions = {
  numClasses: CLASSES,
  trunkWidth: 8,
  channels: 16,
  auxChannels: 8,
  seed: 1,
};

/** mmsegmentation 0.17's pixel CE: -log p of the label, summed over labelled pixels, over all pixels. */
function pixelCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, ignoreIndex = 255): tf.Scalar {
  return tf.tidy(() => {
    const valid = tf.cast(tf.notEqual(labels, ignoreIndex), 'float32');
    const safeLabels = tf.mul(tf.cast(labels, 'float32'), valid);
    const oneHot = tf.oneHot(tf.cast(safeLabels, 'int32'), CLASSES);
    const picked = tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 3);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, valid))), labels.size) as tf.Scalar;
  });
}

function labelMaps(batch: number, size: number): tf.Tensor3D {
  const values = Int32Array.from({ length: batch * size * size }, (_, i) => {
    const col = i % size;
    const row = Math.floor(i / size) % size;
    if (row === 0) return 255;
    return col < size / 3 ? 0 : col < (2 * size) / 3 ? 2 : 1;
  });
  return tf.tensor3d(values, [batch, size, size], 'int32');
}

function maxAbs(t: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0] as number);
}

describe('segmentation model', () => {
  const CASES = [
    { name: 'fcn-resnet10', outputStride: 8, featureStride: 8 },
    { name: 'fcn-resnet10', outputStride: 16, featureStride: 16 },
    { name: 'deeplabv3plus-resnet10', outputStride: 8, featureStride: 4 },
    { name: 'deeplabv3plus-resnet10', outputStride: 16, featureStride: 4 },
    { name: 'upernet-resnet10', outputStride: 32, featureStride: 4 },
  ] as const;

  for (const { name, outputStride, featureStride } of CASES) {
    it(`${name} at output stride ${outputStride}: shapes, finite values, eval without aux, no leaks`, () => {
      const model = createSegmentationModel(name, {
        ...TINY,
        outputStride,
        ...(name.startsWith('deeplab') ? { lowLevelChannels: 4 } : {}),
      });
      expect(model.outputStride).toBe(outputStride);
      expect(model.featureStride).toBe(featureStride);
      expect(model.featureChannels).toBe(16);
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      const train = model.forward(x, { training: true, outputSize: [24, 40], dropoutSeed: 1 });
      expect(train.logits.shape).toEqual([2, 24, 40, CLASSES]);
      expect(train.auxLogits?.shape).toEqual([2, 24, 40, CLASSES]);
      expect(train.features.shape).toEqual([2, 32 / featureStride, 32 / featureStride, 16]);
      expect([train.logits, train.auxLogits, train.features].every((t) => t !== null && maxAbs(t) < 1e6)).toBe(true);
      expect(Array.from(train.logits.dataSync()).every(Number.isFinite)).toBe(true);
      const evaluation = model.forward(x, { training: false });
      expect(evaluation.logits.shape).toEqual([2, 32, 32, CLASSES]);
      expect(evaluation.auxLogits).toBeNull();
      const predicted = model.predict(x);
      expect(tf.tidy(() => maxAbs(tf.sub(predicted, evaluation.logits)))).toBe(0);
      tf.dispose([train.logits, train.auxLogits as tf.Tensor, train.features, evaluation.logits, evaluation.features]);
      predicted.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    });
  }

  it('upsamples the logits with the configured align_corners', () => {
    const make = (alignCorners: boolean) => createSegmentationModel('fcn-resnet10', { ...TINY, alignCorners });
    const [a, b] = [make(false), make(true)];
    tf.tidy(() => {
      const x = tf.randomNormal([1, 32, 32, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      const [fa, fb] = [a.forward(x, { training: false }), b.forward(x, { training: false })];
      // Same weights (same seed), same 4x4 features; only the upsampling differs.
      expect(maxAbs(tf.sub(fa.features, fb.features))).toBe(0);
      expect(maxAbs(tf.sub(fa.logits, fb.logits))).toBeGreaterThan(0);
      // Corner pixels: align_corners=true reads the corner logit exactly; false blends at (-0.375 -> 0) too.
      const low = tf.add(
        tf.conv2d(
          fb.features,
          b.namedParameters().find(([n]) => n === 'decode_head.conv_seg.weight')?.[1] as tf.Tensor4D,
          1,
          0,
        ),
        b.namedParameters().find(([n]) => n === 'decode_head.conv_seg.bias')?.[1] as tf.Tensor1D,
      );
      expect(
        maxAbs(tf.sub(tf.slice(fb.logits, [0, 31, 31, 0], [1, 1, 1, -1]), tf.slice(low, [0, 3, 3, 0], [1, 1, 1, -1]))),
      ).toBeLessThan(1e-5);
    });
    a.dispose();
    b.dispose();
  });

  it('trains end to end: pixel CE + 0.4 aux CE + a Region Rebalance term reach the trunk and both heads', () => {
    const model = createSegmentationModel('deeplabv3plus-resnet10', { ...TINY, lowLevelChannels: 4 });
    const branch = RegionRebalanceBranch.create({
      inChannels: model.featureChannels,
      numClasses: CLASSES,
      reducedChannels: 4,
      hiddenChannels: 8,
    });
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const labels = labelMaps(2, 32);
    const before = tf.memory().numTensors;
    const regionTerm = (features: tf.Tensor4D) => {
      const out = branch.forward(features, labels, { training: true, dropoutSeed: 2 });
      // A plain soft-max CE of the region logits against their class ids stands in for the loss of @ltlab/losses.
      const ce = tf.neg(
        tf.mean(tf.sum(tf.mul(tf.logSoftmax(out.regionLogits), tf.oneHot(out.regionClasses, CLASSES)), 1)),
      );
      tf.dispose([out.regionFeatures, out.pixelFeatures, out.pixelLabels]);
      return ce;
    };
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward(x, { training: true, dropoutSeed: 3 });
      const aux = out.auxLogits as tf.Tensor4D;
      return tf.addN([
        pixelCrossEntropy(out.logits, labels),
        tf.mul(pixelCrossEntropy(aux, labels), 0.4),
        regionTerm(out.features),
      ]) as tf.Scalar;
    }, model.trainableVariables);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const trainableNames = new Set(model.trainableVariables.map((v) => v.name));
    for (const [name, variable] of model.namedParameters()) {
      expect(trainableNames.has(variable.name)).toBe(true);
      const grad = grads[variable.name];
      expect(grad, name).toBeDefined();
      expect(maxAbs(grad as tf.Tensor), name).toBeGreaterThan(0);
    }
    // The branch is frozen: none of its tensors is trainable, so no optimizer can move them.
    expect(branch.trainableVariables).toEqual([]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, labels]);
    branch.dispose();
    model.dispose();
  });

  it('the Region Rebalance term alone trains the trunk and the decoder features, not the pixel classifiers', () => {
    const model = createSegmentationModel('fcn-resnet10', { ...TINY });
    const branch = RegionRebalanceBranch.create({ inChannels: 16, numClasses: CLASSES, reducedChannels: 4 });
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const labels = labelMaps(2, 32);
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward(x, { training: true, dropoutSeed: 4 });
      const rr = branch.forward(out.features, labels, { training: true, dropoutSeed: 5 });
      return tf.sum(tf.mul(rr.regionLogits, tf.oneHot(rr.regionClasses, CLASSES))) as tf.Scalar;
    }, model.trainableVariables);
    const byName = new Map(model.namedParameters().map(([name, v]) => [name, grads[v.name]]));
    expect(maxAbs(byName.get('backbone.conv1.weight') as tf.Tensor)).toBeGreaterThan(0);
    expect(maxAbs(byName.get('decode_head.conv_cat.conv.weight') as tf.Tensor)).toBeGreaterThan(0);
    // The classifiers are not on the path: TF.js gives no gradient for them at all.
    expect(byName.get('decode_head.conv_seg.weight') ?? null).toBeNull();
    expect(byName.get('auxiliary_head.conv_seg.weight') ?? null).toBeNull();
    tf.dispose([value, ...Object.values(grads), x, labels]);
    branch.dispose();
    model.dispose();
  });

  it('is deterministic: the same seed gives the same weights; the same dropout seed the same training logits', () => {
    const [a, b] = [
      createSegmentationModel('upernet-resnet10', TINY),
      createSegmentationModel('upernet-resnet10', TINY),
    ];
    tf.tidy(() => {
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      const ta = a.forward(x, { training: true, dropoutSeed: 9 });
      const tb = b.forward(x, { training: true, dropoutSeed: 9 });
      expect(maxAbs(tf.sub(ta.logits, tb.logits))).toBe(0);
      const tc = a.forward(x, { training: true, dropoutSeed: 10 });
      expect(maxAbs(tf.sub(tc.logits, ta.logits))).toBeGreaterThan(0);
    });
    a.dispose();
    b.dispose();
  });

  it('round-trips its weights: export, load into another seed, same predictions', async () => {
    const model = createSegmentationModel('fcn-resnet10', TINY);
    const other = createSegmentationModel('fcn-resnet10', { ...TINY, seed: 99 });
    const x = tf.randomNormal([1, 32, 32, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    // One training forward moves the BN running statistics, which the export must carry.
    tf.dispose(Object.values(model.forward(tf.concat([x, x]) as tf.Tensor4D, { training: true })));
    const expected = model.predict(x);
    const differs = other.predict(x);
    expect(maxAbs(tf.sub(differs, expected))).toBeGreaterThan(0);
    other.loadWeights(await model.exportWeights());
    const after = other.predict(x);
    expect(Array.from(after.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, expected, differs, after]);
    model.dispose();
    other.dispose();
  });

  it('rejects inputs with the wrong channel count, naming the option', () => {
    const model: SegmentationModel = createSegmentationModel('fcn-resnet10', { ...TINY, inputChannels: 1 });
    const x = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
    expect(() => model.forward(x, { training: false })).toThrow(/inputChannels/);
    x.dispose();
    model.dispose();
  });
});
