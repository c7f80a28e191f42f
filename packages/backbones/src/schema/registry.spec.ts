import { describe, expect, it } from 'vitest';
import { backboneRegistry } from '../registry.js';
import { resltHeadOptionsSchema } from '../reslt-head.js';
import { segmentationModelRegistry } from '../segmentation-registry.js';
import { backboneSchemaRegistry } from './backbones.js';
import { resltHeadConfigOptionsSchema } from './reslt-head-config-options.js';
import { segmentationModelSchemaRegistry } from './segmentation-models.js';

describe('backbone schema entries', () => {
  it('are the TF.js registries as data: same names, order, families, widths and schemas', () => {
    expect(backboneSchemaRegistry.names()).toEqual(backboneRegistry.names());
    for (const backbone of backboneRegistry.list()) {
      const entry = backboneSchemaRegistry.get(backbone.name);
      expect([backbone.family, backbone.featureDim, backbone.summary]).toEqual([
        entry.family,
        entry.featureDim,
        entry.summary,
      ]);
      expect(backbone.schema).toBe(entry.schema);
    }
    expect(segmentationModelSchemaRegistry.names()).toEqual(segmentationModelRegistry.names());
  });

  it('every CIFAR entry has a depth and every ImageNet entry a layout', () => {
    for (const entry of backboneSchemaRegistry.list()) {
      if (entry.family === 'cifar') expect([entry.cifarDepth !== null, entry.resnet]).toEqual([true, null]);
      else expect([entry.cifarDepth, entry.resnet !== null]).toEqual([null, true]);
    }
  });

  it('the ResLT head options are the config options plus the seed', () => {
    expect(resltHeadConfigOptionsSchema.parse({})).toEqual({ afterConv1x1: false, trainable: true });
    expect(resltHeadConfigOptionsSchema.safeParse({ seed: 1 }).success).toBe(false);
    expect(resltHeadOptionsSchema.parse({ seed: 3 })).toEqual({ afterConv1x1: false, trainable: true, seed: 3 });
  });
});
