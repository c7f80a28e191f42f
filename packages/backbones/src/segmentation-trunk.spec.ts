import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockLayout, type ImageNetResNetConfig, imageNetResNetStages } from './imagenet-resnet.js';
import { ParamSet } from './param-set.js';
import { describeBackbone } from './registry.js';
import { describeSegmentationModel } from './segmentation-registry.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

const OS8 = { strides: [1, 2, 1, 1], dilations: [1, 1, 2, 4] } as const;
const OS16 = { strides: [1, 2, 2, 1], dilations: [1, 1, 1, 2] } as const;

function buildTrunk(config: ImageNetResNetConfig) {
  const params = new ParamSet();
  const trunk = imageNetResNetStages(config)(params, 3);
  params.materialize({ seed: 5 }, true);
  return { params, trunk };
}

describe('dilated ImageNet ResNet trunks', () => {
  it('lays out stride and dilation as mmsegmentation with contract_dilation (and torchvision replace_stride_with_dilation)', () => {
    const resnet18 = { block: 'basic', layers: [2, 2, 2, 2] } as const;
    expect(blockLayout({ ...resnet18, ...OS8 })).toEqual([
      [
        { stride: 1, dilation: 1 },
        { stride: 1, dilation: 1 },
      ],
      [
        { stride: 2, dilation: 1 },
        { stride: 1, dilation: 1 },
      ],
      [
        { stride: 1, dilation: 1 },
        { stride: 1, dilation: 2 },
      ],
      [
        { stride: 1, dilation: 2 },
        { stride: 1, dilation: 4 },
      ],
    ]);
    expect(blockLayout({ ...resnet18, ...OS16 }).map((stage) => stage.map((b) => [b.stride, b.dilation]))).toEqual([
      [
        [1, 1],
        [1, 1],
      ],
      [
        [2, 1],
        [1, 1],
      ],
      [
        [2, 1],
        [1, 1],
      ],
      [
        [1, 1],
        [1, 2],
      ],
    ]);
  });

  it('gives stage maps at strides 4/8/8/8 (OS 8), 4/8/16/16 (OS 16) and 4/8/16/32 on 64x64 inputs', () => {
    for (const [layout, sizes] of [
      [OS8, [16, 8, 8, 8]],
      [OS16, [16, 8, 4, 4]],
      [{}, [16, 8, 4, 2]],
    ] as const) {
      const { params, trunk } = buildTrunk({ block: 'basic', layers: [1, 1, 1, 1], baseWidth: 4, ...layout });
      const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const maps = trunk.stageMaps(x, false);
      expect(maps.map((m) => m.shape)).toEqual(sizes.map((s, i) => [2, s, s, 4 * 2 ** i]));
      expect(trunk.stageStrides).toEqual(sizes.map((s) => 64 / s));
      tf.dispose([x, ...maps]);
      params.dispose();
    }
  });

  it('dilates for real: receptive fields match the hand count for dilated and undilated stages', () => {
    // Rows of the input that reach the centre pixel of stage 4 (nonzero input gradient).
    const reach = (dilations: readonly [number, number, number, number]): number => {
      const { params, trunk } = buildTrunk({
        block: 'basic',
        layers: [1, 1, 2, 2],
        baseWidth: 8,
        strides: [1, 2, 1, 1],
        dilations,
      });
      const x = tf.randomNormal([1, 320, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
      const grad = tf.grad((input: tf.Tensor) => {
        const maps = trunk.stageMaps(input as tf.Tensor4D, false);
        return tf.sum(tf.slice(maps[3], [0, 20, 0, 0], [1, 1, 1, -1]));
      })(x);
      const rows = tf.tidy(() => tf.sum(tf.abs(grad), [0, 2, 3]).dataSync());
      const live = [...rows].flatMap((v, i) => (v > 0 ? [i] : []));
      tf.dispose([x, grad]);
      params.dispose();
      return (live.at(-1) as number) - (live[0] as number) + 1;
    };
    // Stem 7x7/2 then 3x3/2 pool: 11 rows, step 4; stage 1 (two 3x3): 27; stage 2 (3x3/2, 3x3): 51,
    // step 8. Undilated, stages 3-4 add 8 convs of 2 * 8 rows: 179. Dilated (OS 8, contracted):
    // stage 3 rates 1, 1, 2, 1 and stage 4 rates 2, 1, 4, 1 (a BasicBlock dilates its first conv only):
    // 51 + 16 * (1 + 1 + 2 + 1 + 2 + 1 + 4 + 1) = 259.
    expect(reach([1, 1, 1, 1])).toBe(179);
    expect(reach([1, 1, 2, 4])).toBe(259);
  });

  it('keeps the torchvision tensor names and shapes of the classification backbone at any output stride', () => {
    const classification = describeBackbone('resnet50', { numClasses: 10, inputShape: [32, 32, 3] }).specs.filter(
      (spec) => !spec.name.startsWith('fc.'),
    );
    for (const outputStride of [8, 16, 32] as const) {
      const trunk = describeSegmentationModel('fcn-resnet50', { numClasses: 10, outputStride }).specs.filter((spec) =>
        spec.name.startsWith('backbone.'),
      );
      expect(trunk.map((spec) => [spec.name, spec.shape])).toEqual(
        classification.map((spec) => [`backbone.${spec.name}`, spec.shape]),
      );
    }
  });
});
