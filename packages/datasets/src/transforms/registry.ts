import { defineRegistry } from '@ltlab/core';
import { autoAugmentCifar10 } from './auto-augment.js';
import { colorJitter, gaussianBlurTransform, randomGrayscale } from './color-transforms.js';
import {
  centerCrop,
  cutout,
  horizontalFlip,
  randomCrop,
  randomResizedCrop,
  resizeTransform,
} from './crop-transforms.js';
import { normalize } from './normalize.js';
import { randAugment } from './rand-augment.js';
import type { TransformEntry } from './transform.js';

/**
 * Every image transform, by the name a pipeline step uses. Names are torchvision's class names in
 * camelCase (`randomResizedCrop`), which configs and stored runs already use (docs/architecture.md §5.8).
 */
export const transformRegistry = defineRegistry<TransformEntry>('transform', [
  randomCrop,
  randomResizedCrop,
  resizeTransform,
  centerCrop,
  horizontalFlip,
  colorJitter,
  randomGrayscale,
  gaussianBlurTransform,
  randAugment,
  autoAugmentCifar10,
  cutout,
  normalize,
]);

/** The transforms by name, as a read-only map (the shape this export had before the registry). */
export const TRANSFORMS: ReadonlyMap<string, TransformEntry> = transformRegistry.byName;

/** The registered transform called `name`; CONFIG.UNKNOWN_NAME names the nearest and lists the known ones. */
export function transformEntry(name: string): TransformEntry {
  return transformRegistry.get(name);
}
