import { LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import type { ParamSpec } from './param-set.js';
import { getBackboneEntry } from './registry.js';
import { segmentationModelConfigOptionsSchema } from './schema/segmentation-model-config-options.js';
import { type SegmentationModelSchemaEntry, segmentationModelSchemaRegistry } from './schema/segmentation-models.js';
import {
  declareSegmentationModel,
  type OutputStride,
  SegmentationModel,
  type SegmentationModelConfig,
} from './segmentation-model.js';

/** A segmentation model's schema entry (@ltlab/backbones/schema); the builders below read its head and trunk. */
export type SegmentationModelEntry = SegmentationModelSchemaEntry;

const positiveInt = z.number().int().positive();

export { segmentationModelConfigOptionsSchema };

/** What `createSegmentationModel` takes: the config's options plus classes, input channels and seed. */
export const segmentationModelOptionsSchema = segmentationModelConfigOptionsSchema.extend({
  numClasses: positiveInt,
  /** Channels of the input images. @defaultValue 3 */
  inputChannels: positiveInt.default(3),
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
});

/** Every segmentation model, by name: `<head>-<trunk>` (the schema registry; nothing TF.js-specific to add). */
export const segmentationModelRegistry = segmentationModelSchemaRegistry;

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
