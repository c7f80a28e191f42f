/**
 * ImageNet ResNets and ResNeXts with torchvision semantics:
 * He et al., "Deep Residual Learning for Image Recognition", CVPR 2016 (Table 1), and Xie et al.,
 * "Aggregated Residual Transformations for Deep Neural Networks" (ResNeXt), CVPR 2017.
 * Stem 7x7/2 conv (padding 3) + BN + ReLU + 3x3/2 max pool (padding 1); four stages of 64, 128,
 * 256, 512 planes (`baseWidth` x 1, 2, 4, 8) with stride 1, 2, 2, 2; BasicBlock (expansion 1) or Bottleneck (expansion 4,
 * stride on the 3x3 conv, "ResNet v1.5", width = planes * widthPerGroup / 64 * groups, grouped
 * 3x3 conv); projection shortcut `downsample` = 1x1 conv with stride + BN. Init as torchvision:
 * Kaiming-normal fan_out convs, BN gamma 1 / beta 0, no zero-init of the last BN per block.
 *
 * For dense prediction the last stages can trade their stride for dilation (Chen et al.,
 * "DeepLab", TPAMI 2018, §3.1; Yu & Koltun, "Multi-Scale Context Aggregation by Dilated
 * Convolutions", ICLR 2016), as mmsegmentation's ResNet with `strides` / `dilations` and
 * `contract_dilation=True` (for output stride 8 and 16 also torchvision's
 * `replace_stride_with_dilation`): a stage with dilation d > 1 keeps stride 1, its first block
 * runs at d / 2 and the others at d. In a BasicBlock only the first 3x3 conv is dilated (mmsegmentation's BasicBlock), in
 * a Bottleneck the 3x3 conv. Parameter names and shapes do not depend on the dilation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { type Conv2d, createConv2d } from './conv2d.js';
import type { ParamDeclarer } from './param-set.js';
import { stemMaxPool } from './pooling.js';
import type { StagedTrunk, StagedTrunkBuilder, TrunkBuilder } from './trunk.js';

export type StageTuple = readonly [number, number, number, number];

export interface ImageNetResNetConfig {
  block: 'basic' | 'bottleneck';
  /** Blocks per stage, e.g. [3, 4, 6, 3] for ResNet-50. */
  layers: StageTuple;
  /** @defaultValue 1 */
  groups?: number;
  /** @defaultValue 64 */
  widthPerGroup?: number;
  /** Stride of each stage's first block. @defaultValue [1, 2, 2, 2] */
  strides?: StageTuple;
  /** Dilation of each stage (the first block of a dilated stage uses half). @defaultValue [1, 1, 1, 1] */
  dilations?: StageTuple;
  /**
   * Planes of stage 1 and width of the stem; stage k has baseWidth * 2^(k-1) planes. Only the
   * small segmentation trunks of the tests and the 64x64 benchmark change it. @defaultValue 64
   */
  baseWidth?: number;
}

const DEFAULT_STRIDES: StageTuple = [1, 2, 2, 2];
const DEFAULT_DILATIONS: StageTuple = [1, 1, 1, 1];

interface Block {
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

interface ConvBn {
  conv: Conv2d;
  bn: BatchNorm;
}

function convBn(
  params: ParamDeclarer,
  convName: string,
  bnName: string,
  cin: number,
  cout: number,
  k: number,
  options: { stride?: number; dilation?: number; groups?: number } = {},
): ConvBn {
  const dilation = options.dilation ?? 1;
  const conv = createConv2d(params, convName, {
    inChannels: cin,
    outChannels: cout,
    kernelSize: k,
    stride: options.stride ?? 1,
    padding: (dilation * (k - 1)) / 2,
    dilation,
    groups: options.groups ?? 1,
    init: 'kaimingNormalFanOut',
  });
  return { conv, bn: createBatchNorm(params, bnName, cout) };
}

function applyConvBn(layer: ConvBn, x: tf.Tensor4D, training: boolean): tf.Tensor4D {
  return layer.bn.apply(layer.conv.apply(x), training);
}

function createDownsample(params: ParamDeclarer, name: string, cin: number, cout: number, stride: number): ConvBn {
  return convBn(params, `${name}.downsample.0`, `${name}.downsample.1`, cin, cout, 1, { stride });
}

function createBasicBlock(
  params: ParamDeclarer,
  name: string,
  inPlanes: number,
  planes: number,
  stride: number,
  dilation: number,
): Block {
  const first = convBn(params, `${name}.conv1`, `${name}.bn1`, inPlanes, planes, 3, { stride, dilation });
  const second = convBn(params, `${name}.conv2`, `${name}.bn2`, planes, planes, 3);
  const downsample =
    stride !== 1 || inPlanes !== planes ? createDownsample(params, name, inPlanes, planes, stride) : null;
  return {
    apply: (x, training) =>
      tf.tidy(() => {
        const out = applyConvBn(second, tf.relu(applyConvBn(first, x, training)), training);
        const identity = downsample === null ? x : applyConvBn(downsample, x, training);
        return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
      }),
  };
}

interface BottleneckShape {
  inPlanes: number;
  planes: number;
  stride: number;
  dilation: number;
  groups: number;
  widthPerGroup: number;
}

function createBottleneck(params: ParamDeclarer, name: string, shape: BottleneckShape): Block {
  const { inPlanes, planes, stride, dilation, groups, widthPerGroup } = shape;
  const width = Math.floor((planes * widthPerGroup) / 64) * groups;
  const outPlanes = planes * 4;
  const reduce = convBn(params, `${name}.conv1`, `${name}.bn1`, inPlanes, width, 1);
  const spatial = convBn(params, `${name}.conv2`, `${name}.bn2`, width, width, 3, { stride, dilation, groups });
  const expand = convBn(params, `${name}.conv3`, `${name}.bn3`, width, outPlanes, 1);
  const downsample =
    stride !== 1 || inPlanes !== outPlanes ? createDownsample(params, name, inPlanes, outPlanes, stride) : null;
  return {
    apply: (x, training) =>
      tf.tidy(() => {
        let out = tf.relu(applyConvBn(reduce, x, training));
        out = tf.relu(applyConvBn(spatial, out, training));
        out = applyConvBn(expand, out, training);
        const identity = downsample === null ? x : applyConvBn(downsample, x, training);
        return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
      }),
  };
}

/** Stride and dilation of every block, per stage. */
export function blockLayout(config: ImageNetResNetConfig): Array<Array<{ stride: number; dilation: number }>> {
  const strides = config.strides ?? DEFAULT_STRIDES;
  const dilations = config.dilations ?? DEFAULT_DILATIONS;
  return config.layers.map((count, stage) => {
    const dilation = dilations[stage] ?? 1;
    return Array.from({ length: count }, (_, b) => ({
      stride: b === 0 ? (strides[stage] ?? 1) : 1,
      // contract_dilation: the block that enters a dilated stage runs at half its rate.
      dilation: b === 0 && dilation > 1 ? Math.floor(dilation / 2) : dilation,
    }));
  });
}

/** The four stage outputs (C2..C5 of FPN, 1/4 to 1/32 of the input without dilation). */
export function imageNetResNetStages(config: ImageNetResNetConfig): StagedTrunkBuilder {
  const groups = config.groups ?? 1;
  const widthPerGroup = config.widthPerGroup ?? 64;
  const strides = config.strides ?? DEFAULT_STRIDES;
  const baseWidth = config.baseWidth ?? 64;
  const expansion = config.block === 'basic' ? 1 : 4;
  const layout = blockLayout(config);
  return (params, inChannels): StagedTrunk => {
    const stem = convBn(params, 'conv1', 'bn1', inChannels, baseWidth, 7, { stride: 2 });
    const stages: Block[][] = [];
    const stageChannels: number[] = [];
    let inPlanes = baseWidth;
    layout.forEach((stageBlocks, stage) => {
      const planes = baseWidth * 2 ** stage;
      const blocks: Block[] = [];
      stageBlocks.forEach(({ stride, dilation: blockDilation }, b) => {
        const name = `layer${stage + 1}.${b}`;
        blocks.push(
          config.block === 'basic'
            ? createBasicBlock(params, name, inPlanes, planes, stride, blockDilation)
            : createBottleneck(params, name, {
                inPlanes,
                planes,
                stride,
                dilation: blockDilation,
                groups,
                widthPerGroup,
              }),
        );
        inPlanes = planes * expansion;
      });
      stages.push(blocks);
      stageChannels.push(planes * expansion);
    });
    const stageStrides: number[] = [];
    let stride = 4; // the stem: 7x7/2 conv and 3x3/2 max pool
    for (const stageStride of strides) {
      stride *= stageStride;
      stageStrides.push(stride);
    }
    return {
      stageChannels: stageChannels as unknown as StageTuple,
      stageStrides: stageStrides as unknown as StageTuple,
      stageMaps: (x, training) =>
        tf.tidy(() => {
          const maps: tf.Tensor4D[] = [];
          let out = stemMaxPool(tf.relu(applyConvBn(stem, x, training)));
          for (const blocks of stages) {
            for (const block of blocks) out = block.apply(out, training);
            maps.push(out);
          }
          return maps;
        }) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D],
    };
  };
}

export function imageNetResNet(config: ImageNetResNetConfig): TrunkBuilder {
  const buildStages = imageNetResNetStages(config);
  return (params, inChannels) => {
    const trunk = buildStages(params, inChannels);
    return {
      featureDim: trunk.stageChannels[3],
      featureMap: (x, training) => tf.tidy(() => trunk.stageMaps(x, training)[3]),
    };
  };
}
