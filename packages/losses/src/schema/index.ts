/**
 * `@ltlab/losses/schema`: every loss as data (options schemas with defaults, requirements),
 * without TensorFlow.js, for the control plane. The main entry `@ltlab/losses` adds the
 * computations and needs `@tensorflow/tfjs-core`.
 */
export {
  type BalancedSoftmaxOptions,
  balancedSoftmaxOptionsSchema,
  balancedSoftmaxSchemaEntry,
} from './balanced-softmax.js';
export { type CrossEntropyOptions, crossEntropyOptionsSchema, crossEntropySchemaEntry } from './cross-entropy.js';
export { type FocalOptions, focalOptionsSchema, focalSchemaEntry } from './focal.js';
export { type LdamOptions, ldamOptionsSchema, ldamSchemaEntry } from './ldam.js';
export {
  type LogitAdjustedCeOptions,
  logitAdjustedCeOptionsSchema,
  logitAdjustedCeSchemaEntry,
} from './logit-adjusted-ce.js';
export { type LossRequirements, type Need, NOTHING_REQUIRED } from './loss-requirements.js';
export { defineLossSchema, type LossSchemaEntry } from './loss-schema-entry.js';
export { type PacoOptions, pacoOptionsSchema, pacoSchemaEntry } from './paco.js';
export {
  type RegionRebalanceOptions,
  regionRebalanceOptionsSchema,
  regionRebalanceSchemaEntry,
} from './region-rebalance.js';
export { lossSchemaRegistry } from './registry.js';
export { type ResltOptions, resltOptionsSchema, resltSchemaEntry } from './reslt.js';
export { type SupconOptions, supconOptionsSchema, supconSchemaEntry } from './supcon.js';
