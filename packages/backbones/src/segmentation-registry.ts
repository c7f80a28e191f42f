import { defineRegistry, LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import type { ParamSpec } from './param-set.js';
import { getBackboneEntry } from './registry.js';
import {
  declareSegmentationModel,
  type OutputStride,
  type SegmentationHeadKind,
  SegmentationModel,
  type SegmentationModelConfig,
} from './segmentation-model.js';

export interface SegmentationModelEntry {
  readonly name: string;
  readonly head: SegmentationHeadKind;
  /** The backbone registry's ImageNet ResNet the trunk is built from. */
  readonly trunk: string;
  readonly summary: string;
  /** The options a run config's `model.options` may set (the trainer supplies the rest). */
  readonly schema: typeof segmentationModelConfigOptionsSchema;
}

const HEAD_SUMMARIES: Record<SegmentationHeadKind, string> = {
  fcn: 'FCN head (2 convs + concat input) on stage 4',
  deeplabv3plus: 'DeepLabv3+: ASPP on stage 4, decoder with 48-channel stage-1 features',
  upernet: 'UPerNet: PPM on stage 4 + FPN over stages 1-4',
};

function entry(name: string, head: SegmentationHeadKind, trunk: string): SegmentationModelEntry {
  return {
    name,
    head,
    trunk,
    summary: `${HEAD_SUMMARIES[head]}, torchvision ${trunk} trunk`,
    schema: segmentationModelConfigOptionsSchema,
  };
}

const positiveInt = z.number().int().positive();

/** What a run config's `model.options` may set; `createSegmentationModel` adds the class count and input channels. */
export const segmentationModelConfigOptionsSchema = z.strictObject({
  /**
   * Input size over the last trunk stage's size: 8 (stages 3-4 dilated 2 and 4), 16 (stage 4
   * dilated 2) or 32 (no dilation). @defaultValue 8 for FCN and DeepLabv3+, 32 for UPerNet
   * (mmsegmentation's configs)
   */
  outputStride: z.union([z.literal(8), z.literal(16), z.literal(32)]).optional(),
  /** An auxiliary FCN head on stage 3 (its loss weight, 0.4 in the configs, is training's). @defaultValue true */
  auxHead: z.boolean().default(true),
  /** Width of the decode head. @defaultValue 512 */
  channels: positiveInt.default(512),
  /** Width of the auxiliary head. @defaultValue 256 */
  auxChannels: positiveInt.default(256),
  /** DeepLabv3+ only: width of the reduced stage-1 features. @defaultValue 48 */
  lowLevelChannels: positiveInt.optional(),
  /**
   * Planes of the trunk's stage 1 (stage k has trunkWidth * 2^(k-1)); 64 is torchvision's ResNet.
   * Narrow trunks (e.g. 16) are for tests and the 64x64 benchmark. @defaultValue 64
   */
  trunkWidth: positiveInt.default(64),
  /** Dropout2d rate before each classifier. @defaultValue 0.1 */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** `align_corners` of every bilinear resize (logits to label size, ASPP/PPM/FPN). @defaultValue false */
  alignCorners: z.boolean().default(false),
  /** `false` creates every tensor frozen. @defaultValue true */
  trainable: z.boolean().default(true),
});

/** What `createSegmentationModel` takes: the config's options plus classes, input channels and seed. */
export const segmentationModelOptionsSchema = segmentationModelConfigOptionsSchema.extend({
  numClasses: positiveInt,
  /** Channels of the input images. @defaultValue 3 */
  inputChannels: positiveInt.default(3),
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
});

/** Every segmentation model, by name: `<head>-<trunk>`. */
export const segmentationModelRegistry = defineRegistry<SegmentationModelEntry>('segmentation model', [
  entry('fcn-resnet10', 'fcn', 'resnet10'),
  entry('fcn-resnet18', 'fcn', 'resnet18'),
  entry('fcn-resnet34', 'fcn', 'resnet34'),
  entry('fcn-resnet50', 'fcn', 'resnet50'),
  entry('fcn-resnet101', 'fcn', 'resnet101'),
  entry('deeplabv3plus-resnet10', 'deeplabv3plus', 'resnet10'),
  entry('deeplabv3plus-resnet18', 'deeplabv3plus', 'resnet18'),
  entry('deeplabv3plus-resnet34', 'deeplabv3plus', 'resnet34'),
  entry('deeplabv3plus-resnet50', 'deeplabv3plus', 'resnet50'),
  entry('deeplabv3plus-resnet101', 'deeplabv3plus', 'resnet101'),
  entry('upernet-resnet10', 'upernet', 'resnet10'),
  entry('upernet-resnet18', 'upernet', 'resnet18'),
  entry('upernet-resnet34', 'upernet', 'resnet34'),
  entry('upernet-resnet50', 'upernet', 'resnet50'),
  entry('upernet-resnet101', 'upernet', 'resnet101'),
]);

export type SegmentationModelOptions = z.input<typeof segmentationModelOptionsSchema>;

/** Stride of each stage's first block and dilation of each stage, per output stride (mmsegmentation's d8 / d16 configs). */
const STRIDE_LAYOUTS: Record<
  OutputStride,
  { strides: [number, number, number, number]; dilations: [number, number, number, number] }
> = {
  8: { strides: [1, 2, 1, 1], dilations: [1, 1, 2, 4] },
  16: { strides: [1, 2, 2, 1], dilations: [1, 1, 1, 2] },
  32: { strides: [1, 2, 2, 2], dilations: [1, 1, 1, 1] },
};

/** ASPP rates: DeepLabv3+ §4 uses 6/12/18 at output stride 16 and doubles them at 8. */
const ASPP_DILATIONS: Partial<Record<OutputStride, readonly number[]>> = {
  8: [1, 12, 24, 36],
  16: [1, 6, 12, 18],
};

export function listSegmentationModels(): SegmentationModelEntry[] {
  return [...segmentationModelRegistry.list()];
}

/** The registered model called `name`; CONFIG.UNKNOWN_NAME names the nearest and lists the known ones. */
export function getSegmentationModelEntry(name: string): SegmentationModelEntry {
  return segmentationModelRegistry.get(name);
}

function configFor(
  name: string,
  options: SegmentationModelOptions,
): { config: SegmentationModelConfig; seed: string | number; trainable: boolean } {
  const found = getSegmentationModelEntry(name);
  const parsed = parseOrThrow(segmentationModelOptionsSchema, options, `options of segmentation model '${name}'`);
  const outputStride: OutputStride = parsed.outputStride ?? (found.head === 'upernet' ? 32 : 8);
  const asppDilations = ASPP_DILATIONS[outputStride];
  if (found.head === 'deeplabv3plus' && asppDilations === undefined) {
    throw new LtlabError('CONFIG.INVALID', `${name} runs at output stride 8 or 16, got outputStride ${outputStride}.`, {
      fix: 'Set outputStride to 8 or 16.',
      details: { path: 'outputStride' },
    });
  }
  if (found.head !== 'deeplabv3plus' && parsed.lowLevelChannels !== undefined) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `lowLevelChannels is a DeepLabv3+ option; ${name} has no low-level branch.`,
      {
        fix: 'Remove lowLevelChannels or pick a deeplabv3plus-* model.',
        details: { path: 'lowLevelChannels' },
      },
    );
  }
  const resnet = getBackboneEntry(found.trunk).resnet;
  if (resnet === null) throw new LtlabError('INTERNAL', `Trunk ${found.trunk} of ${name} is not an ImageNet ResNet.`);
  return {
    config: {
      name,
      head: found.head,
      trunk: { ...resnet, ...STRIDE_LAYOUTS[outputStride], baseWidth: parsed.trunkWidth },
      inputChannels: parsed.inputChannels,
      numClasses: parsed.numClasses,
      channels: parsed.channels,
      auxChannels: parsed.auxHead ? parsed.auxChannels : null,
      lowLevelChannels: parsed.lowLevelChannels ?? 48,
      asppDilations: asppDilations ?? [],
      dropout: parsed.dropout,
      alignCorners: parsed.alignCorners,
    },
    seed: parsed.seed,
    trainable: parsed.trainable,
  };
}

/** Builds and initialises a registered segmentation model. Throws CONFIG.UNKNOWN_NAME listing the known names. */
export function createSegmentationModel(name: string, options: SegmentationModelOptions): SegmentationModel {
  const { config, seed, trainable } = configFor(name, options);
  return new SegmentationModel(config, { seed }, trainable);
}

/** Tensor specs and parameter count of a segmentation model, without allocating anything. */
export function describeSegmentationModel(
  name: string,
  options: SegmentationModelOptions,
): { specs: ParamSpec[]; parameterCount: number } {
  const { params } = declareSegmentationModel(configFor(name, options).config);
  return { specs: params.specs, parameterCount: params.parameterCount() };
}
