import { defineRegistry } from '@ltlab/core';
import { balancedSoftmax } from './balanced-softmax.js';
import { crossEntropy } from './cross-entropy.js';
import { focal } from './focal.js';
import { ldam } from './ldam.js';
import { logitAdjustedCe } from './logit-adjusted-ce.js';
import type { LossDefinition } from './loss-definition.js';
import { paco } from './paco.js';
import { regionRebalance } from './region-rebalance.js';
import { reslt } from './reslt.js';
import { supcon } from './supcon.js';

/**
 * Every loss, by the name a run config's `method.loss` uses (each name is written in its own
 * file: `name: 'cross-entropy'`), in the order `listLosses` reports them.
 */
export const lossRegistry = defineRegistry<LossDefinition>({ singular: 'loss', plural: 'losses' }, [
  crossEntropy,
  focal,
  ldam,
  balancedSoftmax,
  logitAdjustedCe,
  supcon,
  paco,
  reslt,
  regionRebalance,
] as readonly LossDefinition[]);

/** The registered loss called `name`; CONFIG.UNKNOWN_NAME names the nearest and lists the known ones otherwise. */
export function getLoss(name: string): LossDefinition {
  return lossRegistry.get(name);
}

/** Every registered loss. */
export function listLosses(): readonly LossDefinition[] {
  return lossRegistry.list();
}
