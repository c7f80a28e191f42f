import { LtlabError, parseOrThrow } from '@ltlab/core';
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
  readonly description: string;
  readonly build: TrunkBuilder;
  /** The ImageNet ResNet layout, which segmentation models rebuild with dilation (`null` for CIFAR ResNets). */
  readonly resnet: ImageNetResNetConfig | null;
}

function cifar(depth: number): BackboneEntry {
  return {
    name: `resnet${depth}`,
    family: 'cifar',
    featureDim: 64,
    description: `CIFAR ResNet-${depth}: BasicBlock x ${(depth - 2) / 6} per stage, widths 16/32/64, option-A shortcuts`,
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
    description: `torchvision ${block === 'basic' ? 'BasicBlock' : 'Bottleneck'} ${layers.join('-')}${shape}`,
    build: imageNetResNet(resnet),
    resnet,
  };
}

/** Every backbone, by name. CIFAR ResNets take the short names of He et al. §4.2 (resnet20 ...). */
const ENTRIES: readonly BackboneEntry[] = [
  cifar(8),
  cifar(20),
  cifar(32),
  cifar(44),
  cifar(56),
  cifar(110),
  imagenet('resnet10', 'basic', [1, 1, 1, 1]),
  imagenet('resnet18', 'basic', [2, 2, 2, 2]),
  imagenet('resnet34', 'basic', [3, 4, 6, 3]),
  imagenet('resnet50', 'bottleneck', [3, 4, 6, 3]),
  imagenet('resnet101', 'bottleneck', [3, 4, 23, 3]),
  imagenet('resnet152', 'bottleneck', [3, 8, 36, 3]),
  imagenet('resnet200', 'bottleneck', [3, 24, 36, 3]),
  imagenet('resnext50_32x4d', 'bottleneck', [3, 4, 6, 3], 32, 4),
  imagenet('resnext101_32x4d', 'bottleneck', [3, 4, 23, 3], 32, 4),
];

const REGISTRY: ReadonlyMap<string, BackboneEntry> = buildRegistry(ENTRIES);

function buildRegistry(entries: readonly BackboneEntry[]): Map<string, BackboneEntry> {
  const map = new Map<string, BackboneEntry>();
  for (const entry of entries) {
    if (map.has(entry.name)) throw new LtlabError('INTERNAL', `Backbone ${entry.name} is registered twice.`);
    map.set(entry.name, entry);
  }
  return map;
}

const positiveInt = z.number().int().positive();

export const backboneOptionsSchema = z.object({
  numClasses: positiveInt,
  /** `[height, width, channels]`, e.g. `[28, 28, 1]` for Fashion-MNIST. */
  inputShape: z.tuple([positiveInt, positiveInt, positiveInt]),
  /** Seed of the weight init (each tensor draws from `deriveSeed(seed, name)`). */
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
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

export type BackboneOptions = z.input<typeof backboneOptionsSchema>;

/** Names, families and feature widths of every registered backbone. */
export function listBackbones(): Array<Omit<BackboneEntry, 'build' | 'resnet'>> {
  return ENTRIES.map(({ name, family, featureDim, description }) => ({ name, family, featureDim, description }));
}

export function getBackboneEntry(name: string): BackboneEntry {
  const entry = REGISTRY.get(name);
  if (entry === undefined) {
    const known = [...REGISTRY.keys()].join(', ');
    throw new LtlabError('CONFIG.UNKNOWN_NAME', `Unknown backbone '${name}'. Known backbones: ${known}.`, {
      fix: `Use one of: ${known}.`,
      details: { name, known: [...REGISTRY.keys()] },
    });
  }
  return entry;
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
