import { describe, expect, it } from 'vitest';
import { ADE20K_CLASSES, CITYSCAPES_CLASSES, COCO_STUFF_CLASSES } from './segmentation-class-names.js';

describe('segmentation class names', () => {
  it('have one distinct name per train id, in the published order', () => {
    expect([ADE20K_CLASSES.length, CITYSCAPES_CLASSES.length, COCO_STUFF_CLASSES.length]).toEqual([150, 19, 171]);
    for (const names of [ADE20K_CLASSES, CITYSCAPES_CLASSES, COCO_STUFF_CLASSES])
      expect(new Set(names).size).toBe(names.length);
    expect([ADE20K_CLASSES[0], ADE20K_CLASSES[12], ADE20K_CLASSES[149]]).toEqual(['wall', 'person', 'flag']);
    expect([CITYSCAPES_CLASSES[0], CITYSCAPES_CLASSES[13], CITYSCAPES_CLASSES[18]]).toEqual(['road', 'car', 'bicycle']);
    // Things first (person .. toothbrush), then stuff (banner .. wood).
    expect([COCO_STUFF_CLASSES[0], COCO_STUFF_CLASSES[79], COCO_STUFF_CLASSES[80], COCO_STUFF_CLASSES[170]]).toEqual([
      'person',
      'toothbrush',
      'banner',
      'wood',
    ]);
  });
});
