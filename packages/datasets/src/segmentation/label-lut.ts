import { LtlabError } from '@ltlab/core';
import { IGNORE_INDEX } from './label-map.js';

/**
 * How stored label bytes become class ids: entry v is the class id of stored value v, IGNORE_INDEX,
 * or NOT_A_LABEL for values the format does not allow (they make the file DATA.CORRUPT). An
 * Int16Array of 256 entries, so it crosses to loader workers by structured clone.
 */
export type LabelLut = Int16Array;

export const NOT_A_LABEL = -1;

function checkClasses(numClasses: number): void {
  if (!(Number.isInteger(numClasses) && numClasses >= 1 && numClasses <= IGNORE_INDEX)) {
    throw new LtlabError('CONFIG.INVALID', `numClasses must be an integer in [1, 255], got ${numClasses}.`);
  }
}

/** Values 0..C-1 are classes and 255 is ignored (Cityscapes and COCO-Stuff `*_labelTrainIds.png`). */
export function trainIdLut(numClasses: number): LabelLut {
  checkClasses(numClasses);
  const lut = new Int16Array(256).fill(NOT_A_LABEL);
  for (let v = 0; v < numClasses; v++) lut[v] = v;
  lut[IGNORE_INDEX] = IGNORE_INDEX;
  return lut;
}

/**
 * mmseg's `reduce_zero_label` (ADE20K): stored 0 ("other") becomes ignored and v becomes v - 1, so
 * stored values 1..C are the classes; a stored 255 stays ignored (255 - 1 = 254 is mapped back).
 */
export function reduceZeroLabelLut(numClasses: number): LabelLut {
  checkClasses(numClasses);
  const lut = new Int16Array(256).fill(NOT_A_LABEL);
  lut[0] = IGNORE_INDEX;
  for (let v = 1; v <= numClasses; v++) lut[v] = v - 1;
  lut[IGNORE_INDEX] = IGNORE_INDEX;
  return lut;
}

/** A LUT from an explicit table of stored value -> class id (or IGNORE_INDEX); other values are invalid. */
export function tableLut(table: ReadonlyMap<number, number>, numClasses: number): LabelLut {
  checkClasses(numClasses);
  const lut = new Int16Array(256).fill(NOT_A_LABEL);
  for (const [stored, target] of table) {
    const valid = target === IGNORE_INDEX || (Number.isInteger(target) && target >= 0 && target < numClasses);
    if (!(Number.isInteger(stored) && stored >= 0 && stored <= 255 && valid)) {
      throw new LtlabError('INTERNAL', `Bad label table entry ${stored} -> ${target} for ${numClasses} classes.`);
    }
    lut[stored] = target;
  }
  return lut;
}

/** The stored values a LUT accepts, as ranges for error messages ("0-150, 255" for ADE20K). */
export function describeLut(lut: LabelLut): string {
  const ranges: string[] = [];
  let start = -1;
  for (let v = 0; v <= 256; v++) {
    const accepted = v < 256 && lut[v] !== NOT_A_LABEL;
    if (accepted && start < 0) start = v;
    if (!accepted && start >= 0) {
      ranges.push(start === v - 1 ? `${start}` : `${start}-${v - 1}`);
      start = -1;
    }
  }
  return ranges.length === 0 ? 'none' : ranges.join(', ');
}
