import { defineRegistry } from '@ltlab/core';
import { backboneConfigOptionsSchema } from './backbone-config-options.js';
import type { BackboneSchemaEntry, ResNetLayout } from './backbone-schema-entry.js';

/** A CIFAR ResNet of `depth` = 6n + 2 layers, registered as `name` (written out, so it can be found by search). */
function cifar(name: string, depth: number): BackboneSchemaEntry {
  return {
    name,
    family: 'cifar',
    featureDim: 64,
    summary: `CIFAR ResNet-${depth}: BasicBlock x ${(depth - 2) / 6} per stage, widths 16/32/64, option-A shortcuts`,
    schema: backboneConfigOptionsSchema,
    cifarDepth: depth,
    resnet: null,
  };
}

function imagenet(
  name: string,
  block: 'basic' | 'bottleneck',
  layers: readonly [number, number, number, number],
  groups = 1,
  widthPerGroup = 64,
): BackboneSchemaEntry {
  const shape = groups === 1 ? '' : `, ${groups} groups x ${widthPerGroup}d`;
  const resnet: ResNetLayout = { block, layers, groups, widthPerGroup };
  return {
    name,
    family: 'imagenet',
    featureDim: block === 'basic' ? 512 : 2048,
    summary: `torchvision ${block === 'basic' ? 'BasicBlock' : 'Bottleneck'} ${layers.join('-')}${shape}`,
    schema: backboneConfigOptionsSchema,
    cifarDepth: null,
    resnet,
  };
}

/**
 * Every backbone as data, by name. CIFAR ResNets take the short names of He et al. §4.2
 * (resnet20 ...); ImageNet ones torchvision's model names (docs/architecture.md §5.8 on the key
 * style). `backboneRegistry` adds a builder to each entry, in this order.
 */
export const backboneSchemaRegistry = defineRegistry<BackboneSchemaEntry>('backbone', [
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
