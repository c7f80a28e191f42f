import { LtlabError } from '@ltlab/core';
import { normalize } from '../../transforms/normalize.js';
import { padPair } from './pad-pair.js';
import { photoMetricDistortion } from './photometric-distortion.js';
import { randomCropPair } from './random-crop-pair.js';
import { randomFlipPair } from './random-flip-pair.js';
import { resizePair } from './resize-pair.js';
import type { SegmentationTransformEntry } from './segmentation-transform.js';

/** Normalisation is the classification pipeline's step (same presets and options), applied to the image. */
const normalizeImage: SegmentationTransformEntry = {
  name: normalize.name,
  stage: 'normalize',
  schema: normalize.schema,
  create: (options) => {
    if (normalize.stage !== 'output') throw new LtlabError('INTERNAL', 'normalize is not an output step.');
    return normalize.create(options);
  },
};

const ENTRIES: readonly SegmentationTransformEntry[] = [
  resizePair,
  randomCropPair,
  randomFlipPair,
  photoMetricDistortion,
  normalizeImage,
  padPair,
];

function buildRegistry(
  entries: readonly SegmentationTransformEntry[],
): ReadonlyMap<string, SegmentationTransformEntry> {
  const map = new Map<string, SegmentationTransformEntry>();
  for (const entry of entries) {
    if (map.has(entry.name))
      throw new LtlabError('INTERNAL', `Segmentation transform '${entry.name}' is registered twice.`);
    map.set(entry.name, entry);
  }
  return map;
}

/** The paired (image + label map) transforms, by name. */
export const SEGMENTATION_TRANSFORMS = buildRegistry(ENTRIES);

export function segmentationTransformEntry(name: string): SegmentationTransformEntry {
  const entry = SEGMENTATION_TRANSFORMS.get(name);
  if (entry === undefined) {
    const known = [...SEGMENTATION_TRANSFORMS.keys()];
    throw new LtlabError('CONFIG.UNKNOWN_NAME', `Unknown segmentation transform '${name}'.`, {
      fix: `Use one of: ${known.join(', ')}.`,
      details: { known },
    });
  }
  return entry;
}
