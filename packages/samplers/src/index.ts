export { ClassBalancedSampler, classBalancedOptionsSchema } from './class-balanced.js';
export { buildClassIndex, type ClassIndex } from './class-index.js';
export { InstanceBalancedSampler, instanceBalancedOptionsSchema } from './instance-balanced.js';
export { ProgressiveSampler, progressiveOptionsSchema } from './progressive.js';
export {
  createSampler,
  SAMPLERS,
  type SamplerData,
  type SamplerEntry,
  type SamplerSpec,
  samplerRegistry,
  samplerSpecSchema,
} from './registry.js';
export type { Sampler } from './sampler.js';
export { type IndexBatch, SamplerCursor, type SamplerState, samplerStateSchema } from './sampler-cursor.js';
export { ShardedSampler } from './shard.js';
export { SquareRootSampler, squareRootOptionsSchema } from './square-root.js';
