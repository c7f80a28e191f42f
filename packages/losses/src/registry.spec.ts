import { isLtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { thrown } from './__fixtures__/reference-math.js';
import { crossEntropy } from './cross-entropy.js';
import type { LossDefinition, Need } from './loss-definition.js';
import { getLoss, listLosses, lossRegistry } from './registry.js';

const NAMES = [
  'cross-entropy',
  'focal',
  'ldam',
  'balanced-softmax',
  'logit-adjusted-ce',
  'supcon',
  'paco',
  'reslt',
  'region-rebalance',
];

function need(definition: LossDefinition, input: string): Need {
  const spec = definition.inputs[input];
  if (spec === undefined) return 'no';
  return spec.required ? 'required' : 'optional';
}

describe('loss registry', () => {
  it('registers the issue list, in order', () => {
    expect(listLosses().map((definition) => definition.name)).toEqual(NAMES);
    for (const name of NAMES) expect(getLoss(name).name).toBe(name);
  });

  it('rejects an unknown name with CONFIG.UNKNOWN_NAME suggesting the nearest and listing the known ones', () => {
    const error = thrown(() => getLoss('pac0'));
    expect(isLtlabError(error) && error.code).toBe('CONFIG.UNKNOWN_NAME');
    expect(String(error)).toContain("Unknown loss 'pac0'; did you mean 'paco'? Known losses: ");
    for (const name of NAMES) expect(String(error)).toContain(name);
  });

  it('refuses a second loss of a registered name', () => {
    expect(String(thrown(() => lossRegistry.register(crossEntropy)))).toContain(
      "The loss 'cross-entropy' is registered twice",
    );
    expect(lossRegistry.names()).toEqual(NAMES);
  });

  it('gives every loss a summary and an options schema', () => {
    for (const definition of listLosses()) {
      expect(definition.summary.length, definition.name).toBeGreaterThan(10);
      expect(lossRegistry.get(definition.name)).toBe(definition);
    }
  });

  it.each(NAMES)("declares requirements that agree with the inputs '%s' reads", (name) => {
    const definition = getLoss(name);
    const { requires } = definition;
    expect(need(definition, 'labels')).toBe(requires.labels);
    expect(need(definition, 'classCounts')).toBe(requires.classCounts);
    expect(need(definition, 'classWeights')).toBe(requires.classWeights);
    expect(need(definition, 'logits') === 'required').toBe(requires.logits);
    expect(need(definition, 'logitsH') === 'required').toBe(requires.branchLogits);
    expect(need(definition, 'gainWeight') === 'required').toBe(requires.regionProjection);
    expect(need(definition, 'features') === 'required').toBe(requires.features !== 'none');
    expect(requires.features === 'none').toBe(requires.featureLayout === 'none');
    expect(requires.momentumQueue).toBe(requires.featureLayout === 'query-key-queue');
  });

  it('gives every option a default, except the dataset-specific ResLT groups', () => {
    for (const definition of listLosses()) {
      const parsed = definition.schema.safeParse({});
      expect(parsed.success).toBe(definition.name !== 'reslt');
    }
    expect(getLoss('reslt').schema.safeParse({ mediumTailRange: [35, 100], tailRange: [70, 100] }).success).toBe(true);
  });
});
