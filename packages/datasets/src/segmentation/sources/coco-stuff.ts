import { join, resolve } from 'node:path';
import { parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { type LabelLut, tableLut, trainIdLut } from '../label-lut.js';
import { IGNORE_INDEX } from '../label-map.js';
import { pairFilesByStem } from './paired-files.js';
import { COCO_STUFF_CLASSES } from './segmentation-class-names.js';
import { SegmentationFileSource, statsCachePath } from './segmentation-file-source.js';

export const cocoStuffOptionsSchema = z.strictObject({
  /** The `coco_stuff164k` folder (holding `images/` and `annotations/`). */
  root: z.string().min(1),
  split: z.enum(['train2017', 'val2017']).default('train2017'),
  /**
   * `train-ids`: mmseg's converted `annotations/<split>/<id>_labelTrainIds.png` (0..170, 255).
   * `stuffthingmaps`: the official `stuffthingmaps_trainval2017` PNGs (`<id>.png`, 0..181 and 255),
   * mapped to train ids while reading as mmseg's converter maps them.
   */
  labels: z.enum(['train-ids', 'stuffthingmaps']).default('train-ids'),
});

/**
 * The 11 ids of the stored 0..181 range (COCO category id - 1) that have no category: COCO's 91
 * thing ids include 11 never used (12, 26, 29, 30, 45, 66, 68, 69, 71, 83, 91).
 */
const UNUSED_STUFFTHING_IDS = new Set([11, 25, 28, 29, 44, 65, 67, 68, 70, 82, 90]);

/** Stored stuffthingmaps value -> train id: the used ids in order; unused ids and 255 are ignored. */
export function stuffThingMapsLut(): LabelLut {
  const table = new Map<number, number>();
  let trainId = 0;
  for (let stored = 0; stored <= 181; stored++) {
    table.set(stored, UNUSED_STUFFTHING_IDS.has(stored) ? IGNORE_INDEX : trainId++);
  }
  table.set(IGNORE_INDEX, IGNORE_INDEX);
  return tableLut(table, COCO_STUFF_CLASSES.length);
}

/** The folders under the root holding the images and the labels, one subfolder per split. */
export const COCO_STUFF_DIRS = { images: 'images', labels: 'annotations' } as const;

const LAYOUT =
  'coco_stuff164k/images/{train2017,val2017}/<id>.jpg with coco_stuff164k/annotations/{train2017,val2017}/<id>_labelTrainIds.png';

/**
 * COCO-Stuff 164k (Caesar et al., CVPR 2018) in mmseg's layout: `images/<split>/<id>.jpg` with
 * `annotations/<split>/<id>_labelTrainIds.png`, 171 classes (train ids 0..170, 255 ignored), or
 * with the unconverted stuffthingmaps (`labels: 'stuffthingmaps'`).
 */
export function cocoStuffSource(options: z.input<typeof cocoStuffOptionsSchema>): SegmentationFileSource {
  const o = parseOrThrow(cocoStuffOptionsSchema, options, 'COCO-Stuff source options');
  const root = resolve(o.root);
  const what = `COCO-Stuff 164k ${o.split}`;
  const trainIds = o.labels === 'train-ids';
  const { imagePaths, labelPaths } = pairFilesByStem({
    imageDir: join(root, COCO_STUFF_DIRS.images, o.split),
    labelDir: join(root, COCO_STUFF_DIRS.labels, o.split),
    imageSuffix: '.jpg',
    labelSuffix: trainIds ? '_labelTrainIds.png' : '.png',
    // The converter writes its output next to the originals: raw mode must skip those.
    excludeLabelSuffixes: trainIds ? [] : ['_labelTrainIds.png'],
    what,
    layoutHint: LAYOUT,
  });
  return new SegmentationFileSource(imagePaths, labelPaths, {
    numClasses: COCO_STUFF_CLASSES.length,
    classNames: COCO_STUFF_CLASSES,
    labelLut: trainIds ? trainIdLut(COCO_STUFF_CLASSES.length) : stuffThingMapsLut(),
    description: `${what} (${root})`,
    root,
    statsCacheFile: statsCachePath(root, `coco-stuff-164k-${o.split}-${o.labels}`),
  });
}
