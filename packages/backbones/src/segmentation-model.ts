/**
 * A semantic segmentation network in mmsegmentation's EncoderDecoder form (docs/segmentation.md):
 * a trunk whose last stages may trade stride for dilation (output stride 8, 16 or 32), a decode
 * head that gives per-pixel features and logits at its own resolution, an optional auxiliary FCN
 * head on stage 3 (training only), and bilinear upsampling of the logits to the label size with
 * a chosen `align_corners` (mmsegmentation 0.17's configs: false).
 */
import { deriveSeed, LtlabError, type Seed } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { resizeBilinear } from './bilinear-resize.js';
import type { DecodeHead } from './decode-head.js';
import { createDeepLabV3PlusHead } from './deeplabv3plus-head.js';
import { createFcnHead } from './fcn-head.js';
import { type ImageNetResNetConfig, imageNetResNetStages } from './imagenet-resnet.js';
import type { ForwardOptions } from './module.js';
import { scopeParams } from './param-scope.js';
import { type MaterializeSource, ParamSet } from './param-set.js';
import { ParamSetModule } from './param-set-module.js';
import type { SegmentationHeadKind } from './schema/segmentation-models.js';
import type { StagedTrunk } from './trunk.js';
import { createUperHead } from './uper-head.js';

export type { SegmentationHeadKind };
export type OutputStride = 8 | 16 | 32;

/** Everything that fixes a segmentation model's tensors; the registry fills it from options. */
export interface SegmentationModelConfig {
  name: string;
  head: SegmentationHeadKind;
  /** The trunk with its output-stride layout (strides, dilations) and width. */
  trunk: ImageNetResNetConfig;
  inputChannels: number;
  numClasses: number;
  /** Width of the decode head (mmsegmentation's `channels`). */
  channels: number;
  /** Width of the auxiliary FCN head; `null`: no auxiliary head. */
  auxChannels: number | null;
  /** DeepLabv3+ only: reduced low-level width and ASPP rates. */
  lowLevelChannels: number;
  asppDilations: readonly number[];
  dropout: number;
  alignCorners: boolean;
}

export interface SegmentationForwardOptions extends ForwardOptions {
  /** `[height, width]` of the label map the logits are upsampled to. @defaultValue the input's */
  outputSize?: readonly [number, number];
  /**
   * Seed of this step's dropout masks, e.g. `deriveSeed(runSeed, iteration)` so that a resumed run
   * draws the same masks. Without it the model counts its own training calls.
   */
  dropoutSeed?: number;
}

export interface SegmentationOutputs {
  /** Decode-head logits upsampled to `outputSize`, `[B, H, W, classes]`. */
  logits: tf.Tensor4D;
  /** Auxiliary-head logits upsampled likewise; `null` in evaluation or without the head. */
  auxLogits: tf.Tensor4D | null;
  /** The decode head's last feature map before dropout and classifier, `[B, h, w, channels]` at `featureStride`. */
  features: tf.Tensor4D;
}

interface Parts {
  params: ParamSet;
  trunk: StagedTrunk;
  decode: DecodeHead;
  auxiliary: DecodeHead | null;
}

/** Declares every tensor of a segmentation model without allocating anything. */
export function declareSegmentationModel(config: SegmentationModelConfig): Parts {
  const params = new ParamSet();
  const trunk = imageNetResNetStages(config.trunk)(scopeParams(params, 'backbone'), config.inputChannels);
  const [c1, , c3, c4] = trunk.stageChannels;
  const head = scopeParams(params, 'decode_head');
  const { numClasses, channels, dropout: dropoutRate, alignCorners } = config;
  const decode =
    config.head === 'fcn'
      ? createFcnHead(head, {
          inIndex: 3,
          inChannels: c4,
          channels,
          numConvs: 2,
          concatInput: true,
          numClasses,
          dropoutRate,
        })
      : config.head === 'deeplabv3plus'
        ? createDeepLabV3PlusHead(head, {
            inChannels: c4,
            lowLevelInChannels: c1,
            channels,
            lowLevelChannels: config.lowLevelChannels,
            dilations: config.asppDilations,
            numClasses,
            dropoutRate,
            alignCorners,
          })
        : createUperHead(head, { inChannels: trunk.stageChannels, channels, numClasses, dropoutRate, alignCorners });
  const auxiliary =
    config.auxChannels === null
      ? null
      : createFcnHead(scopeParams(params, 'auxiliary_head'), {
          inIndex: 2,
          inChannels: c3,
          channels: config.auxChannels,
          numConvs: 1,
          concatInput: false,
          numClasses,
          dropoutRate,
        });
  return { params, trunk, decode, auxiliary };
}

export class SegmentationModel extends ParamSetModule {
  readonly name: string;
  readonly numClasses: number;
  readonly inputChannels: number;
  /** Input size over the last trunk stage's size. */
  readonly outputStride: number;
  /** Input size over the size of `features` (the output stride for FCN, 4 for DeepLabv3+ and UPerNet). */
  readonly featureStride: number;
  /** Channels of `features`: what a Region Rebalance branch takes as `inChannels`. */
  readonly featureChannels: number;
  readonly hasAuxHead: boolean;
  readonly alignCorners: boolean;
  readonly config: SegmentationModelConfig;
  readonly #parts: Parts;
  readonly #seed: Seed;
  #trainingCalls = 0;

  constructor(config: SegmentationModelConfig, source: MaterializeSource & { seed?: Seed }, trainable: boolean) {
    const parts = declareSegmentationModel(config);
    parts.params.materialize(source, trainable);
    super(parts.params, `segmentation model ${config.name} (${config.numClasses} classes)`);
    this.#parts = parts;
    this.#seed = 'seed' in source && source.seed !== undefined ? source.seed : 0;
    this.config = config;
    this.name = config.name;
    this.numClasses = config.numClasses;
    this.inputChannels = config.inputChannels;
    this.outputStride = parts.trunk.stageStrides[3];
    this.featureStride = parts.decode.featureStride(parts.trunk.stageStrides);
    this.featureChannels = parts.decode.channels;
    this.hasAuxHead = parts.auxiliary !== null;
    this.alignCorners = config.alignCorners;
  }

  /** Training and evaluation forward: upsampled logits, auxiliary logits (training) and the decoder features. */
  forward(x: tf.Tensor4D, options: SegmentationForwardOptions): SegmentationOutputs {
    this.#checkInput(x);
    const { training } = options;
    const seed = options.dropoutSeed ?? (training ? deriveSeed(this.#seed, 'dropout', this.#trainingCalls++) : 0);
    const size = options.outputSize ?? ([x.shape[1], x.shape[2]] as const);
    const { trunk, decode, auxiliary } = this.#parts;
    const upsample = (logits: tf.Tensor4D): tf.Tensor4D =>
      resizeBilinear(logits, size, { alignCorners: this.alignCorners });
    const [logits, features, auxLogits] = tf.tidy(() => {
      const stages = trunk.stageMaps(x, training);
      const decoded = decode.apply(stages, { training, dropoutSeed: deriveSeed(seed, 'decode_head') });
      const outputs = [upsample(decoded.logits), decoded.features];
      if (training && auxiliary !== null) {
        const aux = auxiliary.apply(stages, { training, dropoutSeed: deriveSeed(seed, 'auxiliary_head') });
        outputs.push(upsample(aux.logits));
      }
      return outputs;
    }) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D | undefined];
    return { logits, auxLogits: auxLogits ?? null, features };
  }

  /** Inference: evaluation-mode logits at the input size (no auxiliary head, no Region Rebalance branch). */
  predict(x: tf.Tensor4D): tf.Tensor4D {
    const { logits, features } = this.forward(x, { training: false });
    features.dispose();
    return logits;
  }

  /** A new model of the same architecture holding copies of the current values. */
  clone(options: { trainable?: boolean } = {}): SegmentationModel {
    const trainable = options.trainable ?? this.trainableVariables.length > 0;
    return new SegmentationModel(this.config, { copyOf: this.params, seed: this.#seed }, trainable);
  }

  #checkInput(x: tf.Tensor): void {
    if (x.rank !== 4 || x.shape[3] !== this.inputChannels) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `${this.name} takes NHWC images with ${this.inputChannels} channels (option inputChannels), got shape [${x.shape.join(', ')}].`,
        { fix: 'Pass a [batch, height, width, channels] tensor, or set the model option inputChannels.' },
      );
    }
  }
}
