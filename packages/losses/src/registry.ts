import { LtlabError } from '@ltlab/core';
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

/** Every registered loss, in the order `listLosses` reports them. */
const REGISTERED: readonly LossDefinition[] = [
  crossEntropy,
  focal,
  ldam,
  balancedSoftmax,
  logitAdjustedCe,
  supcon,
  paco,
  reslt,
  regionRebalance,
] as readonly LossDefinition[];

/** A name-to-definition map from an explicit list; a repeated name is a bug and throws. */
export function buildLossRegistry(definitions: readonly LossDefinition[]): ReadonlyMap<string, LossDefinition> {
  const registry = new Map<string, LossDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.name)) {
      throw new LtlabError('INTERNAL', `Loss '${definition.name}' is registered twice.`, {
        fix: 'Give every loss in the registry list a distinct name.',
      });
    }
    registry.set(definition.name, definition);
  }
  return registry;
}

const LOSSES = buildLossRegistry(REGISTERED);

/** The registered loss called `name`; CONFIG.UNKNOWN_NAME lists the known ones otherwise. */
export function getLoss(name: string): LossDefinition {
  const definition = LOSSES.get(name);
  if (definition === undefined) {
    const known = [...LOSSES.keys()];
    throw new LtlabError('CONFIG.UNKNOWN_NAME', `Unknown loss '${name}'. Known losses: ${known.join(', ')}.`, {
      fix: `Use one of: ${known.join(', ')}.`,
      details: { name, known },
    });
  }
  return definition;
}

/** Every registered loss. */
export function listLosses(): readonly LossDefinition[] {
  return [...LOSSES.values()];
}
