import { LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { fashionMnistSegLt, fashionMnistSegLtOptionsSchema } from './fashion-mnist-seg/fashion-mnist-seg-lt.js';
import { ade20kSource } from './sources/ade20k.js';
import { cityscapesSource } from './sources/cityscapes.js';
import { cocoStuffSource } from './sources/coco-stuff.js';
import type { SegmentationSource } from './sources/segmentation-source.js';

const root = z.string().min(1);

/**
 * A segmentation data set as data: `{ name, ...options }`. The file layouts take their `root`;
 * the benchmark takes its generator options. `openSegmentationSource` gives its train and test
 * (validation) splits.
 */
export const segmentationSourceSpecSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('ade20k'), root }),
  z.strictObject({ name: z.literal('cityscapes'), root }),
  z.strictObject({
    name: z.literal('coco-stuff-164k'),
    root,
    labels: z.enum(['train-ids', 'stuffthingmaps']).default('train-ids'),
  }),
  z.strictObject({ name: z.literal('fashion-mnist-seg-lt'), ...fashionMnistSegLtOptionsSchema.shape }),
]);

export type SegmentationSourceSpec = z.input<typeof segmentationSourceSpecSchema>;

export const SEGMENTATION_SOURCE_NAMES = ['ade20k', 'cityscapes', 'coco-stuff-164k', 'fashion-mnist-seg-lt'] as const;

export interface SegmentationSplits {
  train: SegmentationSource;
  /** The split evaluated on: ADE20K validation, Cityscapes val, COCO-Stuff val2017, the benchmark's test set. */
  test: SegmentationSource;
}

/** Opens a segmentation source by name (the run config's `data` for segmentation tasks). */
export function openSegmentationSource(spec: SegmentationSourceSpec): SegmentationSplits {
  const unknownName = (spec as { name?: unknown }).name;
  if (typeof unknownName === 'string' && !(SEGMENTATION_SOURCE_NAMES as readonly string[]).includes(unknownName)) {
    throw new LtlabError('CONFIG.UNKNOWN_NAME', `Unknown segmentation source '${unknownName}'.`, {
      fix: `Use one of: ${SEGMENTATION_SOURCE_NAMES.join(', ')}.`,
      details: { known: SEGMENTATION_SOURCE_NAMES },
    });
  }
  const parsed = parseOrThrow(segmentationSourceSpecSchema, spec, 'segmentation source');
  switch (parsed.name) {
    case 'ade20k':
      return {
        train: ade20kSource({ root: parsed.root, split: 'training' }),
        test: ade20kSource({ root: parsed.root, split: 'validation' }),
      };
    case 'cityscapes':
      return {
        train: cityscapesSource({ root: parsed.root, split: 'train' }),
        test: cityscapesSource({ root: parsed.root, split: 'val' }),
      };
    case 'coco-stuff-164k':
      return {
        train: cocoStuffSource({ root: parsed.root, split: 'train2017', labels: parsed.labels }),
        test: cocoStuffSource({ root: parsed.root, split: 'val2017', labels: parsed.labels }),
      };
    case 'fashion-mnist-seg-lt': {
      const { name: _, ...options } = parsed;
      const { train, test } = fashionMnistSegLt(options);
      return { train, test };
    }
  }
}
