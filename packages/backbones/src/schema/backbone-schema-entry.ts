import type { backboneConfigOptionsSchema } from './backbone-config-options.js';
import type { BackboneFamily } from './backbone-family.js';

/** The block layout of an ImageNet ResNet/ResNeXt (torchvision's `block`, `layers`, `groups`, `width_per_group`). */
export interface ResNetLayout {
  readonly block: 'basic' | 'bottleneck';
  readonly layers: readonly [number, number, number, number];
  readonly groups: number;
  readonly widthPerGroup: number;
}

/**
 * A backbone as data, without TensorFlow.js: what a run config's `backbone` may name and set,
 * and the numbers the trainer plans with. The TF.js registry entry adds the builder.
 */
export interface BackboneSchemaEntry {
  readonly name: string;
  readonly family: BackboneFamily;
  /** Width D of the pooled feature. */
  readonly featureDim: number;
  /** One line: the block layout and where it comes from. */
  readonly summary: string;
  /** The options a run config's `backbone.options` may set (the trainer supplies the rest). */
  readonly schema: typeof backboneConfigOptionsSchema;
  /** CIFAR ResNets: depth 6n + 2; `null` for ImageNet ones. */
  readonly cifarDepth: number | null;
  /** The ImageNet ResNet layout, which segmentation models rebuild with dilation (`null` for CIFAR ResNets). */
  readonly resnet: ResNetLayout | null;
}
