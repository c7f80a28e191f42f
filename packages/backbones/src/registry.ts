import { defineRegistry, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import type { Backbone, BackboneFamily } from './backbone.js';
import { cifarResNet } from './cifar-resnet.js';
import { type ImageNetResNetConfig, imageNetResNet } from './imagenet-resnet.js';
import type { LinearInit } from './linear.js';
import type { ParamSpec } from './param-set.js';
import type { TrunkBuilder } from './trunk.js';
import { declareTrunkBackbone, TrunkBackbone, type TrunkBackboneConfig } from './trunk-backbone.js';

export interface BackboneEntry {
  readonly name: string;
  readonly family: BackboneFamily;
  readonly featureDim: number;
  /** One line: the block layout and where it comes from. */
  readonly summary: string;
  /** The options a run config's `backbone.options` may set (the trainer supplies the rest). */
  readonly schema: typeof backboneConfigOptionsSchema;
  readonly build: TrunkBuilder;
  /** The ImageNet ResNet layout, which segmentation models rebuild with dilation (`null` for CIFAR ResNets). */
  readonly resnet: ImageNetResNetConfig | null;
}

/** A CIFAR ResNet of `depth` = 6n + 2 layers, registered as `name` (written out, so it can be found by search). */
function cifar(name: string, depth: number): BackboneEntry {
  return {
    name,
    family: 'cifar',
    featureDim: 64,
    summary: `CIFAR ResNet-${depth}: BasicBlock x ${(depth - 2) / 6} per stage, widths 16/32/64, option-A shortcuts`,
    schema: backboneConfigOptionsSchema,
    build: cifarResNet(depth),
    resnet: null,
  };
}

function imagenet(
  name: string,
  block: 'basic' | 'bottleneck',
  layers: readonly [number, number, number, number],
  groups = 1,
  widthPerGroup = 64,
): BackboneEntry {
  const shape = groups === 1 ? '' : `, ${groups} groups x ${widthPerGroup}d`;
  const resnet: ImageNetResNetConfig = { block, layers, groups, widthPerGroup };
  return {
    name,
    family: 'imagenet',
    featureDim: block === 'basic' ? 512 : 2048,
    summary: `torchvision ${block === 'basic' ? 'BasicBlock' : 'Bottleneck'} ${layers.join('-')}${shape}`,
    schema: backboneConfigOptionsSchema,
    build: imageNetResNet(resnet),
    resnet,
  };
}

const positiveInt = z.number().int().positive();

/**
 * What a run config's `backbone.options` may set. Strict, so a misspelt option is an error
 * naming the nearest known one instead of being ignored.
 */
export const backboneConfigOptionsSchema = z.strictObject({
  /**
   * `family`: the backbone's own (CIFAR: Kaiming-normal fan_in; ImageNet: nn.Linear default);
   * `pytorchDefault`: nn.Linear's default, as PaCo's new `linear` classifier.
   */
  classifierInit: z.enum(['family', 'pytorchDefault']).default('family'),
  /**
   * `linear`: `x W + b` (every paper's default); `cosine`: cosine similarities of the normalised
   * feature and class weights, no bias (LDAM's NormedLinear, for its s = 30).
   */
  classifier: z.enum(['linear', 'cosine']).default('linear'),
  /** `false` creates every tensor frozen (TF.js `trainable: false`). */
  trainable: z.boolean().default(true),
});

/**
 * Every backbone, by name. CIFAR ResNets take the short names of He et al. §4.2 (resnet20 ...);
 * ImageNet ones torchvision's model names (docs/architecture.md §5.8 on the key style).
 */
export const backboneRegistry = defineRegistry<BackboneEntry>('backbone', [
  cifar('resnet8', 8),
  cifar('resnet20', 20),
  cifar('resnet32', 32),
  cifar('resnet44', 44),
  cifar('resnet56', 56),
  cifar('resnet110', 110),
  imagenet('resnet10', 'basic', [1, 1, 1, 1]),
  imagenet('resnet18', 'basic', [2, 2, 2, 2]),
  imagenet('resnet34', 'basic', [3, 4, 6, 3]),
  imagenet('resnet50', 'bottleneck', [3, 4, 6, 3]),
  imagenet('resnet101', 'bottleneck', [3, 4, 23, 3]),
  imagenet('resnet152', 'bottleneck', [3, 8, 36, 3]),
  imagenet('resnet200', 'bottleneck', [3, 24, 36, 3]),
  imagenet('resnext50_32x4d', 'bottleneck', [3, 4, 6, 3], 32, 4),
  imagenet('resnext101_32x4d', 'bottleneck', [3, 4, 23, 3], 32, 4),
]);

/** What `createBackbone` takes: the config's options plus what the trainer knows (classes, input, seed). */
export const backboneOptionsSchema = backboneConfigOptionsSchema.extend({
  numClasses: positiveInt,
  /** `[height, width, channels]`, e.g. `[28, 28, 1]` for Fashion-MNIST. */
  inputShape: z.tuple([positiveInt, positiveInt, positiveInt]),
  /** Seed of the weight init (each tensor draws from `deriveSeed(seed, name)`). */
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
});

export type BackboneOptions = z.input<typeof backboneOptionsSchema>;

/** Names, families, feature widths, summaries and option schemas of every registered backbone. */
export function listBackbones(): Array<Omit<BackboneEntry, 'build' | 'resnet'>> {
  return backboneRegistry.list().map(({ name, family, featureDim, summary, schema }) => ({
    name,
    family,
    featureDim,
    summary,
    schema,
  }));
}

/** The registered backbone called `name`; CONFIG.UNKNOWN_NAME names the nearest and lists the known ones. */
export function getBackboneEntry(name: string): BackboneEntry {
  return backboneRegistry.get(name);
}

function configFor(
  name: string,
  options: BackboneOptions,
): { config: TrunkBackboneConfig; seed: string | number; trainable: boolean } {
  const entry = getBackboneEntry(name);
  const parsed = parseOrThrow(backboneOptionsSchema, options, `options of backbone '${name}'`);
  const classifierInit: LinearInit =
    parsed.classifierInit === 'pytorchDefault' || entry.family === 'imagenet' ? 'pytorchDefault' : 'kaimingNormalFanIn';
  return {
    config: {
      name,
      family: entry.family,
      build: entry.build,
      numClasses: parsed.numClasses,
      inputShape: parsed.inputShape,
      classifierInit,
      classifier: parsed.classifier,
    },
    seed: parsed.seed,
    trainable: parsed.trainable,
  };
}

/** Builds and initialises a registered backbone. Throws CONFIG.UNKNOWN_NAME listing the known names. */
export function createBackbone(name: string, options: BackboneOptions): Backbone {
  const { config, seed, trainable } = configFor(name, options);
  return new TrunkBackbone(config, { seed }, trainable);
}

/**
 * The tensors a backbone would have (names, shapes, roles, init) and its parameter count, by
 * the same declaration code as `createBackbone` but without allocating: cheap even for ResNet-200.
 */
export function describeBackbone(
  name: string,
  options: BackboneOptions,
): { specs: ParamSpec[]; parameterCount: number } {
  const { params } = declareTrunkBackbone(configFor(name, options).config);
  return { specs: params.specs, parameterCount: params.parameterCount() };
}
