import { defineRegistry, LtlabError } from '@ltlab/core';
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
  summary: normalize.summary,
  stage: 'normalize',
  schema: normalize.schema,
  create: (options) => {
    if (normalize.stage !== 'output') throw new LtlabError('INTERNAL', 'normalize is not an output step.');
    return normalize.create(options);
  },
};

/**
 * The paired (image + label map) transforms, by the name a pipeline step uses: mmsegmentation's
 * class names in camelCase (`photoMetricDistortion`), as the configs write them (docs/architecture.md §5.8).
 */
export const segmentationTransformRegistry = defineRegistry<SegmentationTransformEntry>('segmentation transform', [
  resizePair,
  randomCropPair,
  randomFlipPair,
  photoMetricDistortion,
  normalizeImage,
  padPair,
]);

/** The paired transforms by name, as a read-only map (the shape this export had before the registry). */
export const SEGMENTATION_TRANSFORMS: ReadonlyMap<string, SegmentationTransformEntry> =
  segmentationTransformRegistry.byName;

/** The registered segmentation transform called `name`; CONFIG.UNKNOWN_NAME names the nearest and lists the known ones. */
export function segmentationTransformEntry(name: string): SegmentationTransformEntry {
  return segmentationTransformRegistry.get(name);
}
