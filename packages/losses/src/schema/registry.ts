import { defineRegistry } from '@ltlab/core';
import { balancedSoftmaxSchemaEntry } from './balanced-softmax.js';
import { crossEntropySchemaEntry } from './cross-entropy.js';
import { focalSchemaEntry } from './focal.js';
import { ldamSchemaEntry } from './ldam.js';
import { logitAdjustedCeSchemaEntry } from './logit-adjusted-ce.js';
import type { LossSchemaEntry } from './loss-schema-entry.js';
import { pacoSchemaEntry } from './paco.js';
import { regionRebalanceSchemaEntry } from './region-rebalance.js';
import { resltSchemaEntry } from './reslt.js';
import { supconSchemaEntry } from './supcon.js';

/**
 * Every loss as data (name, summary, options schema, requirements), in the order of
 * `lossRegistry`, without TensorFlow.js: what the control plane validates `method.loss` and
 * `method.options` against (docs/architecture.md §5.8).
 */
export const lossSchemaRegistry = defineRegistry<LossSchemaEntry>({ singular: 'loss', plural: 'losses' }, [
  crossEntropySchemaEntry,
  focalSchemaEntry,
  ldamSchemaEntry,
  balancedSoftmaxSchemaEntry,
  logitAdjustedCeSchemaEntry,
  supconSchemaEntry,
  pacoSchemaEntry,
  resltSchemaEntry,
  regionRebalanceSchemaEntry,
] as readonly LossSchemaEntry[]);
