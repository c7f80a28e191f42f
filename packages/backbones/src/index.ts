export type { Backbone, BackboneFamily } from './backbone.js';
export { type BatchNorm, BN_EPSILON, BN_MOMENTUM, createBatchNorm } from './batch-norm.js';
export { type Conv2d, type Conv2dOptions, createConv2d } from './conv2d.js';
export { createCosineLinear } from './cosine-linear.js';
export {
  FeatureQueue,
  type FeatureQueueOptions,
  type FeatureQueueState,
  featureQueueOptionsSchema,
} from './feature-queue.js';
export { type GroupedConv2dOptions, groupedConv2d } from './grouped-conv2d.js';
export type { InitRule } from './init-rule.js';
export { l2Normalize } from './l2-normalize.js';
export { createLinear, type Linear, type LinearInit } from './linear.js';
export type { ForwardOptions, ParamModule, VariableLists } from './module.js';
export {
  MomentumEncoder,
  type MomentumEncoderOptions,
  momentumEncoderOptionsSchema,
  type QueryEncoder,
} from './momentum-encoder.js';
export { type NamedVariable, type ParamRef, type ParamRole, ParamSet, type ParamSpec } from './param-set.js';
export { globalAvgPool, stemMaxPool, takeEveryOther } from './pooling.js';
export { ProjectionMlp, type ProjectionMlpOptions, projectionMlpOptionsSchema } from './projection-mlp.js';
export {
  type BackboneEntry,
  type BackboneOptions,
  backboneOptionsSchema,
  createBackbone,
  describeBackbone,
  getBackboneEntry,
  listBackbones,
} from './registry.js';
export {
  type ResltForwardOptions,
  ResltHead,
  type ResltHeadOptions,
  type ResltLogits,
  resltHeadOptionsSchema,
} from './reslt-head.js';
export { tauNormalizedLogits } from './tau-norm.js';
export { type ExpectedWeight, validateWeightMap, type WeightEntry, type WeightMap } from './weight-map.js';
