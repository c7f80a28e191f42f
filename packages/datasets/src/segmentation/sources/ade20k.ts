import { join, resolve } from 'node:path';
import { parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { reduceZeroLabelLut } from '../label-lut.js';
import { pairFilesByStem } from './paired-files.js';
import { ADE20K_CLASSES } from './segmentation-class-names.js';
import { SegmentationFileSource, statsCachePath } from './segmentation-file-source.js';

export const ade20kOptionsSchema = z.strictObject({
  /** The `ADEChallengeData2016` folder (holding `images/` and `annotations/`). */
  root: z.string().min(1),
  split: z.enum(['training', 'validation']).default('training'),
});

/** The folders under the root holding the images and the labels, one subfolder per split. */
export const ADE20K_DIRS = { images: 'images', labels: 'annotations' } as const;

const LAYOUT = 'ADEChallengeData2016/{images,annotations}/{training,validation}/ADE_*.{jpg,png}';

/**
 * ADE20K SceneParsing (Zhou et al., CVPR 2017) in the layout of the challenge zip that mmseg uses:
 * `images/<split>/ADE_train_00000001.jpg` with `annotations/<split>/ADE_train_00000001.png`.
 * 150 classes with reduce-zero-label: stored 0 ("other") is ignored, stored v is class v - 1.
 */
export function ade20kSource(options: z.input<typeof ade20kOptionsSchema>): SegmentationFileSource {
  const o = parseOrThrow(ade20kOptionsSchema, options, 'ADE20K source options');
  const root = resolve(o.root);
  const what = `ADE20K ${o.split}`;
  const { imagePaths, labelPaths } = pairFilesByStem({
    imageDir: join(root, ADE20K_DIRS.images, o.split),
    labelDir: join(root, ADE20K_DIRS.labels, o.split),
    imageSuffix: '.jpg',
    labelSuffix: '.png',
    what,
    layoutHint: LAYOUT,
  });
  return new SegmentationFileSource(imagePaths, labelPaths, {
    numClasses: ADE20K_CLASSES.length,
    classNames: ADE20K_CLASSES,
    labelLut: reduceZeroLabelLut(ADE20K_CLASSES.length),
    description: `${what} (${root})`,
    root,
    statsCacheFile: statsCachePath(root, `ade20k-${o.split}`),
  });
}
