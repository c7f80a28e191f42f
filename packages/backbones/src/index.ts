export { adaptiveAvgPool } from './adaptive-avg-pool.js';
export { type AtrousOptions, atrousConv2d } from './atrous-conv2d.js';
export type { Backbone, BackboneFamily } from './backbone.js';
export { type BatchNorm, BN_EPSILON, BN_MOMENTUM, createBatchNorm } from './batch-norm.js';
export { withBatchNormReplicas } from './batch-norm-replicas.js';
export { type InterpolationTaps, interpolationTaps, resizeBilinear } from './bilinear-resize.js';
export { type Conv2d, type Conv2dOptions, createConv2d } from './conv2d.js';
export { createCosineLinear } from './cosine-linear.js';
export type { DecodeHead, DecodeHeadForwardOptions, DecodeHeadOutput, StageMaps } from './decode-head.js';
export { dropout } from './dropout.js';
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
export {
  type NamedVariable,
  type ParamDeclarer,
  type ParamRef,
  type ParamRole,
  ParamSet,
  type ParamSpec,
} from './param-set.js';
export { globalAvgPool, stemMaxPool, takeEveryOther } from './pooling.js';
export { ProjectionMlp, type ProjectionMlpOptions, projectionMlpOptionsSchema } from './projection-mlp.js';
export {
  type RegionProjection,
  RegionRebalanceBranch,
  type RegionRebalanceBranchOptions,
  type RegionRebalanceForwardOptions,
  type RegionRebalanceOutputs,
  regionRebalanceBranchOptionsSchema,
} from './region-rebalance-branch.js';
export {
  type BackboneEntry,
  type BackboneOptions,
  backboneConfigOptionsSchema,
  backboneOptionsSchema,
  backboneRegistry,
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
  type ResltPredictOptions,
  resltHeadOptionsSchema,
} from './reslt-head.js';
export {
  type OutputStride,
  type SegmentationForwardOptions,
  type SegmentationHeadKind,
  SegmentationModel,
  type SegmentationModelConfig,
  type SegmentationOutputs,
} from './segmentation-model.js';
export {
  createSegmentationModel,
  describeSegmentationModel,
  getSegmentationModelEntry,
  listSegmentationModels,
  type SegmentationModelEntry,
  type SegmentationModelOptions,
  segmentationModelConfigOptionsSchema,
  segmentationModelOptionsSchema,
  segmentationModelRegistry,
} from './segmentation-registry.js';
export { tauNormalizedLogits } from './tau-norm.js';
export { type ExpectedWeight, validateWeightMap, type WeightEntry, type WeightMap } from './weight-map.js';
