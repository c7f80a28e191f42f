import { type SegmentationRunConfig, segmentationRunConfigSchema } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SegmentationNetwork } from './segmentation-network.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

function config(regionRebalance: boolean): SegmentationRunConfig {
  return segmentationRunConfigSchema.parse({
    task: 'segmentation',
    data: { source: { name: 'fashion-mnist-seg-lt' } },
    model: { name: 'fcn-resnet10', options: { trunkWidth: 4, channels: 8, auxChannels: 4 } },
    loss: regionRebalance ? { regionRebalance: { reducedChannels: 4, hiddenChannels: 8 } } : {},
    optimizer: { name: 'adamw', lr: 1e-3 },
    iterations: 10,
    periodIterations: 10,
    batchSize: 2,
    evaluation: { everyIterations: 10 },
    checkpoint: { everyIterations: 10 },
  });
}

const SHAPE = { numClasses: 3, inputChannels: 1 };

describe('SegmentationNetwork', () => {
  it('trains every model parameter and no branch weight; groups norms and biases for weight decay', () => {
    const network = SegmentationNetwork.build(config(true), SHAPE);
    const names = network.trainableParameters().map(([name]) => name);
    expect(names.every((name) => name.startsWith('model/'))).toBe(true);
    expect(names).toHaveLength(network.model.namedParameters().length);
    const norms = network.exemptFromWeightDecay(['norm']);
    expect(norms.has('model/backbone.bn1.weight')).toBe(true);
    expect(norms.has('model/decode_head.conv_cat.bn.bias')).toBe(true);
    expect(norms.has('model/backbone.layer1.0.bn2.bias')).toBe(true);
    // The classifier's bias is no norm: decayed unless biases are exempt too (the recipe decays it).
    expect(norms.has('model/decode_head.conv_seg.bias')).toBe(false);
    expect(network.exemptFromWeightDecay(['bias'])).toEqual(
      new Set(['model/decode_head.conv_seg.bias', 'model/auxiliary_head.conv_seg.bias']),
    );
    const both = network.exemptFromWeightDecay(['norm', 'bias']);
    expect(both.size).toBe(norms.size + 2);
    expect([...both].some((name) => name.endsWith('conv.weight') || name.endsWith('conv1.weight'))).toBe(false);
    network.dispose();
  });

  it('checkpoints the model under model/ and the branch (BN statistics included) under region/', async () => {
    const network = SegmentationNetwork.build(config(true), SHAPE);
    const weights = await network.exportWeights();
    expect(Object.keys(weights).filter((name) => name.startsWith('region/'))).toContain('region/reduce.1.running_mean');
    const fresh = SegmentationNetwork.build(config(true), SHAPE);
    fresh.loadWeights(weights);
    expect(await fresh.exportWeights()).toEqual(weights);
    // A Region Rebalance checkpoint does not fit a run without the branch, nor the reverse.
    const plain = SegmentationNetwork.build(config(false), SHAPE);
    expect(() => plain.loadWeights(weights)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    const plainWeights = await plain.exportWeights();
    expect(() => fresh.loadWeights(plainWeights)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    const before = tf.memory().numTensors;
    for (const n of [network, fresh, plain]) n.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});
