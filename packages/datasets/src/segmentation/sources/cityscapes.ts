import { join, resolve } from 'node:path';
import { parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { trainIdLut } from '../label-lut.js';
import { pairFilesByStem } from './paired-files.js';
import { CITYSCAPES_CLASSES } from './segmentation-class-names.js';
import { SegmentationFileSource, statsCachePath } from './segmentation-file-source.js';

export const cityscapesOptionsSchema = z.strictObject({
  /** The folder holding `leftImg8bit/` and `gtFine/`. */
  root: z.string().min(1),
  split: z.enum(['train', 'val', 'test']).default('train'),
});

/** The folders under the root holding the images and the labels, one subfolder per split. */
export const CITYSCAPES_DIRS = { images: 'leftImg8bit', labels: 'gtFine' } as const;

const LAYOUT =
  '<root>/leftImg8bit/<split>/<city>/<name>_leftImg8bit.png with <root>/gtFine/<split>/<city>/<name>_gtFine_labelTrainIds.png';

/**
 * Cityscapes fine annotations (Cordts et al., CVPR 2016): `leftImg8bit/<split>/<city>/*_leftImg8bit.png`
 * with `gtFine/<split>/<city>/*_gtFine_labelTrainIds.png`, 19 classes (train ids 0..18, 255 ignored).
 * The train-id files are not in the download: cityscapesScripts' `createTrainIdLabelImgs` (which
 * mmseg's `tools/convert_datasets/cityscapes.py` calls) writes them next to the other gtFine files,
 * which are ignored here.
 */
export function cityscapesSource(options: z.input<typeof cityscapesOptionsSchema>): SegmentationFileSource {
  const o = parseOrThrow(cityscapesOptionsSchema, options, 'Cityscapes source options');
  const root = resolve(o.root);
  const what = `Cityscapes ${o.split}`;
  const { imagePaths, labelPaths } = pairFilesByStem({
    imageDir: join(root, CITYSCAPES_DIRS.images, o.split),
    labelDir: join(root, CITYSCAPES_DIRS.labels, o.split),
    imageSuffix: '_leftImg8bit.png',
    labelSuffix: '_gtFine_labelTrainIds.png',
    what,
    layoutHint: LAYOUT,
  });
  return new SegmentationFileSource(imagePaths, labelPaths, {
    numClasses: CITYSCAPES_CLASSES.length,
    classNames: CITYSCAPES_CLASSES,
    labelLut: trainIdLut(CITYSCAPES_CLASSES.length),
    description: `${what} (${root})`,
    root,
    statsCacheFile: statsCachePath(root, `cityscapes-${o.split}`),
  });
}
