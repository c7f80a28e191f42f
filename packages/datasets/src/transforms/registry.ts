import { LtlabError } from '@ltlab/core';
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

const ENTRIES: readonly TransformEntry[] = [
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
];

export function buildTransformRegistry(entries: readonly TransformEntry[]): ReadonlyMap<string, TransformEntry> {
  const map = new Map<string, TransformEntry>();
  for (const entry of entries) {
    if (map.has(entry.name)) throw new LtlabError('INTERNAL', `Transform '${entry.name}' is registered twice.`);
    map.set(entry.name, entry);
  }
  return map;
}

export const TRANSFORMS = buildTransformRegistry(ENTRIES);

export function transformEntry(name: string): TransformEntry {
  const entry = TRANSFORMS.get(name);
  if (entry === undefined) {
    throw new LtlabError('CONFIG.UNKNOWN_NAME', `Unknown transform '${name}'.`, {
      fix: `Use one of: ${[...TRANSFORMS.keys()].join(', ')}.`,
      details: { known: [...TRANSFORMS.keys()] },
    });
  }
  return entry;
}
