export {
  type BalancedSoftmaxInputs,
  type BalancedSoftmaxOptions,
  balancedSoftmax,
  balancedSoftmaxLoss,
  balancedSoftmaxOptionsSchema,
} from './balanced-softmax.js';
export { classBalancedWeights } from './class-balanced-weights.js';
export {
  type CrossEntropyInputs,
  type CrossEntropyOptions,
  crossEntropy,
  crossEntropyLoss,
  crossEntropyOptionsSchema,
} from './cross-entropy.js';
export { type FocalInputs, type FocalOptions, focal, focalLoss, focalOptionsSchema } from './focal.js';
export { type LdamInputs, type LdamOptions, ldam, ldamLoss, ldamMargins, ldamOptionsSchema } from './ldam.js';
export {
  type LogitAdjustedCeInputs,
  type LogitAdjustedCeOptions,
  logitAdjustedCe,
  logitAdjustedCeLoss,
  logitAdjustedCeOptionsSchema,
} from './logit-adjusted-ce.js';
export type { InputSpec, InputSpecs, LossDefinition, LossInputs, LossRequirements, Need } from './loss-definition.js';
export { type PacoInputs, type PacoOptions, paco, pacoLoss, pacoOptionsSchema } from './paco.js';
export {
  type RegionRebalanceInputs,
  type RegionRebalanceOptions,
  regionRebalance,
  regionRebalanceLoss,
  regionRebalanceOptionsSchema,
} from './region-rebalance.js';
export { getLoss, listLosses, lossRegistry } from './registry.js';
export { type ResltInputs, type ResltOptions, reslt, resltLoss, resltOptionsSchema } from './reslt.js';
export { stopGradient } from './stop-gradient.js';
export { type SupconInputs, type SupconOptions, supcon, supconLoss, supconOptionsSchema } from './supcon.js';
