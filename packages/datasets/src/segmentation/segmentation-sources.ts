import { defineRegistry, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { type SourceEntry, sourceEntry } from '../sources/source-registry.js';
import { fashionMnistSegLt, fashionMnistSegLtOptionsSchema } from './fashion-mnist-seg/fashion-mnist-seg-lt.js';
import { ade20kSource } from './sources/ade20k.js';
import { cityscapesSource } from './sources/cityscapes.js';
import { cocoStuffSource } from './sources/coco-stuff.js';
import type { SegmentationSource } from './sources/segmentation-source.js';

const root = z.string().min(1);

export interface SegmentationSplits {
  train: SegmentationSource;
  /** The split evaluated on: ADE20K validation, Cityscapes val, COCO-Stuff val2017, the benchmark's test set. */
  test: SegmentationSource;
}

/** A segmentation data set's entry: its options and how to open its train and test splits. */
export type SegmentationSourceEntry = SourceEntry<SegmentationSplits>;

const ade20kSpec = z.strictObject({ root });
const cityscapesSpec = z.strictObject({ root });
const cocoStuffSpec = z.strictObject({ root, labels: z.enum(['train-ids', 'stuffthingmaps']).default('train-ids') });

/** Every segmentation data set, by the name a segmentation run config's `data.source.name` uses. */
export const segmentationSourceRegistry = defineRegistry<SegmentationSourceEntry>('segmentation source', [
  sourceEntry('ade20k', 'ADE20K (SceneParsing, 150 classes): training and validation under root', ade20kSpec, (o) => ({
    train: ade20kSource({ root: o.root, split: 'training' }),
    test: ade20kSource({ root: o.root, split: 'validation' }),
  })),
  sourceEntry('cityscapes', 'Cityscapes (19 train ids): train and val under root', cityscapesSpec, (o) => ({
    train: cityscapesSource({ root: o.root, split: 'train' }),
    test: cityscapesSource({ root: o.root, split: 'val' }),
  })),
  sourceEntry(
    'coco-stuff-164k',
    'COCO-Stuff 164k (171 classes): train2017 and val2017 under root, by train ids or stuffthingmaps',
    cocoStuffSpec,
    (o) => ({
      train: cocoStuffSource({ root: o.root, split: 'train2017', labels: o.labels }),
      test: cocoStuffSource({ root: o.root, split: 'val2017', labels: o.labels }),
    }),
  ),
  sourceEntry(
    'fashion-mnist-seg-lt',
    'Fashion-MNIST-Seg-LT: long-tailed Fashion-MNIST items pasted on a canvas, generated from a seed',
    fashionMnistSegLtOptionsSchema,
    (o) => {
      const { train, test } = fashionMnistSegLt(o);
      return { train, test };
    },
  ),
]);

/**
 * A segmentation data set as data: `{ name, ...options }`. The file layouts take their `root`;
 * the benchmark takes its generator options. `openSegmentationSource` gives its train and test
 * (validation) splits. Built from the registry's option schemas.
 */
export const segmentationSourceSpecSchema = z.discriminatedUnion('name', [
  ade20kSpec.extend({ name: z.literal('ade20k') }),
  cityscapesSpec.extend({ name: z.literal('cityscapes') }),
  cocoStuffSpec.extend({ name: z.literal('coco-stuff-164k') }),
  // The generator's cross-field check (canvas size) runs when it is opened.
  z.strictObject({ name: z.literal('fashion-mnist-seg-lt'), ...fashionMnistSegLtOptionsSchema.shape }),
]);

export type SegmentationSourceSpec = z.input<typeof segmentationSourceSpecSchema>;

export const SEGMENTATION_SOURCE_NAMES = ['ade20k', 'cityscapes', 'coco-stuff-164k', 'fashion-mnist-seg-lt'] as const;

/** Opens a segmentation source by name (the run config's `data` for segmentation tasks). */
export function openSegmentationSource(spec: SegmentationSourceSpec): SegmentationSplits {
  const name = (spec as { name?: unknown }).name;
  if (typeof name === 'string') segmentationSourceRegistry.get(name);
  const { name: parsedName, ...options } = parseOrThrow(segmentationSourceSpecSchema, spec, 'segmentation source');
  return segmentationSourceRegistry.get(parsedName).open(options);
}
