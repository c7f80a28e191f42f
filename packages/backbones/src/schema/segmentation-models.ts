import { defineRegistry } from '@ltlab/core';
import { segmentationModelConfigOptionsSchema } from './segmentation-model-config-options.js';

export type SegmentationHeadKind = 'fcn' | 'deeplabv3plus' | 'upernet';

/** A segmentation model as data, without TensorFlow.js: what a run config's `model` may name and set. */
export interface SegmentationModelSchemaEntry {
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

function entry(name: string, head: SegmentationHeadKind, trunk: string): SegmentationModelSchemaEntry {
  return {
    name,
    head,
    trunk,
    summary: `${HEAD_SUMMARIES[head]}, torchvision ${trunk} trunk`,
    schema: segmentationModelConfigOptionsSchema,
  };
}

/** Every segmentation model, by name: `<head>-<trunk>`. */
export const segmentationModelSchemaRegistry = defineRegistry<SegmentationModelSchemaEntry>('segmentation model', [
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
