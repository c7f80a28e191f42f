import { z } from 'zod';
import { createImage, type Image } from '../../image.js';
import { IGNORE_INDEX, type LabelMap } from '../label-map.js';
import { pairTransform } from './segmentation-transform.js';

interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

function cropImage(image: Image, box: CropBox): Image {
  const out = createImage(box.height, box.width, image.channels);
  const rowBytes = box.width * image.channels;
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * image.width + box.left) * image.channels;
    out.data.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}

function cropLabel(label: LabelMap, box: CropBox): LabelMap {
  const data = new Uint8Array(box.height * box.width);
  for (let y = 0; y < box.height; y++) {
    const from = (box.top + y) * label.width + box.left;
    data.set(label.data.subarray(from, from + box.width), y * box.width);
  }
  return { data, height: box.height, width: box.width };
}

/**
 * True when the crop holds at least two classes and none covers `catMaxRatio` or more of its
 * labelled (non-ignored) pixels: mmseg's acceptance test `len(cnt) > 1 and max(cnt)/sum(cnt) < r`.
 */
export function cropIsBalanced(label: LabelMap, box: CropBox, catMaxRatio: number, ignoreIndex: number): boolean {
  const counts = new Int32Array(256);
  for (let y = 0; y < box.height; y++) {
    const row = (box.top + y) * label.width + box.left;
    for (let x = 0; x < box.width; x++) {
      const v = label.data[row + x] as number;
      counts[v] = (counts[v] as number) + 1;
    }
  }
  counts[ignoreIndex] = 0;
  let classes = 0;
  let total = 0;
  let largest = 0;
  for (const n of counts) {
    if (n === 0) continue;
    classes++;
    total += n;
    largest = Math.max(largest, n);
  }
  return classes > 1 && largest / total < catMaxRatio;
}

/**
 * mmseg's RandomCrop(crop_size, cat_max_ratio, ignore_index): a crop of size (h, w) at offsets
 * uniform in [0, H - h] x [0, W - w] (the whole side when the image is smaller: nothing is padded
 * here, `pad` does that). With catMaxRatio < 1 a crop in which one class covers that share or more
 * of the labelled pixels (or only one class is present) is redrawn, up to 10 times; the 11th draw
 * is kept as it is, as in mmseg.
 */
export const randomCropPair = pairTransform(
  'randomCrop',
  'mmseg RandomCrop: a crop at uniform offsets, redrawn while one class covers catMaxRatio of it',
  z.strictObject({
    size: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]),
    catMaxRatio: z.number().gt(0).max(1).default(1),
    ignoreIndex: z.number().int().min(0).max(255).default(IGNORE_INDEX),
  }),
  (o, sample, rng) => {
    const [cropHeight, cropWidth] = typeof o.size === 'number' ? [o.size, o.size] : o.size;
    const { height, width } = sample.image;
    const draw = (): CropBox => {
      const top = rng.int(0, Math.max(height - cropHeight, 0) + 1);
      const left = rng.int(0, Math.max(width - cropWidth, 0) + 1);
      return { top, left, height: Math.min(cropHeight, height - top), width: Math.min(cropWidth, width - left) };
    };
    let box = draw();
    if (o.catMaxRatio < 1) {
      for (let attempt = 0; attempt < 10; attempt++) {
        if (cropIsBalanced(sample.label, box, o.catMaxRatio, o.ignoreIndex)) break;
        box = draw();
      }
    }
    return { image: cropImage(sample.image, box), label: cropLabel(sample.label, box) };
  },
);
