/**
 * `@ltlab/backbones/schema`: every backbone and segmentation model as data (options schemas
 * with defaults, family, feature width, layout) and the ResLT head's options, without
 * TensorFlow.js, for the control plane. The main entry `@ltlab/backbones` builds the networks
 * and needs `@tensorflow/tfjs-core`.
 */
export { backboneConfigOptionsSchema } from './backbone-config-options.js';
export type { BackboneFamily } from './backbone-family.js';
export type { BackboneSchemaEntry, ResNetLayout } from './backbone-schema-entry.js';
export { backboneSchemaRegistry } from './backbones.js';
export { resltHeadConfigOptionsSchema } from './reslt-head-config-options.js';
export { segmentationModelConfigOptionsSchema } from './segmentation-model-config-options.js';
export {
  type SegmentationHeadKind,
  type SegmentationModelSchemaEntry,
  segmentationModelSchemaRegistry,
} from './segmentation-models.js';
