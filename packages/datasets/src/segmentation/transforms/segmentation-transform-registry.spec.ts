import { describe, expect, it } from 'vitest';
import { createPairTransform } from './segmentation-transform.js';
import {
  SEGMENTATION_TRANSFORMS,
  segmentationTransformEntry,
  segmentationTransformRegistry,
} from './segmentation-transform-registry.js';

describe('segmentation transform registry', () => {
  it('lists the paired steps and the output steps', () => {
    expect([...SEGMENTATION_TRANSFORMS.keys()]).toEqual([
      'resize',
      'randomCrop',
      'randomFlip',
      'photoMetricDistortion',
      'normalize',
      'pad',
    ]);
    expect([...SEGMENTATION_TRANSFORMS.values()].map((entry) => entry.stage)).toEqual([
      'pair',
      'pair',
      'pair',
      'pair',
      'normalize',
      'pad',
    ]);
  });

  it('names the known steps for an unknown one, and the nearest when one is near', () => {
    expect(() => segmentationTransformEntry('colorJitter')).toThrow(
      expect.objectContaining({ code: 'CONFIG.UNKNOWN_NAME', fix: expect.stringContaining('photoMetricDistortion') }),
    );
    expect(() => segmentationTransformEntry('random-flip')).toThrow(
      "Unknown segmentation transform 'random-flip'; did you mean 'randomFlip'?",
    );
  });

  it('gives every step a summary', () => {
    for (const entry of segmentationTransformRegistry.list())
      expect(entry.summary.length, entry.name).toBeGreaterThan(10);
  });

  it('shares the classification presets for normalize, and refuses output steps as pair steps', () => {
    const normalize = segmentationTransformEntry('normalize');
    expect(normalize.stage === 'normalize' && normalize.create(normalize.schema.parse({ preset: 'imagenet' }))).toEqual(
      {
        mean: [0.485, 0.456, 0.406],
        std: [0.229, 0.224, 0.225],
      },
    );
    expect(() => createPairTransform(normalize, { preset: 'imagenet' })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });
});
