import { existsSync } from 'node:fs';
import { LtlabError } from '@ltlab/core';
import { loadSharp } from '../../sources/decode-image.js';
import { describeLut, type LabelLut, NOT_A_LABEL } from '../label-lut.js';
import type { LabelMap } from '../label-map.js';

const FIX_FORMAT =
  'Label maps must be 8-bit single-channel (gray) PNGs whose pixel values are the class ids ' +
  '(e.g. the *_labelTrainIds.png files the dataset tools write), not colour or palette images.';

/**
 * Reads a label map file: an 8-bit gray PNG whose values go through `lut` (stored value -> class
 * id or the ignore index). A truncated or unreadable file, a colour, palette, 16-bit or
 * sub-byte file, or a value the LUT does not accept fails with DATA.CORRUPT naming the file,
 * the sample index and (for values) the first offending pixel.
 */
export async function decodeLabelFile(path: string, index: number, lut: LabelLut): Promise<LabelMap> {
  const sharp = await loadSharp();
  let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    const file = sharp(path, { failOn: 'warning' });
    meta = await file.metadata();
    // libvips turns gray into sRGB on output unless told to keep it; b-w on a gray input is a no-op.
    decoded = await file.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  } catch (cause) {
    if (!existsSync(path)) {
      throw new LtlabError('DATA.MISSING', `Label map ${path} (sample ${index}) does not exist.`, {
        fix: 'Check the dataset root: every image needs its label map.',
        details: { path, index },
        cause,
      });
    }
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new LtlabError('DATA.CORRUPT', `Cannot decode label map ${path} (sample ${index}): ${why}`, {
      fix: 'Replace the damaged file (re-extract or re-convert the annotations).',
      details: { path, index },
      cause,
    });
  }
  const problem =
    meta.isPalette === true
      ? 'is a palette image'
      : meta.channels !== 1
        ? `has ${meta.channels} channels`
        : meta.depth !== 'uchar' || (meta.bitsPerSample !== undefined && meta.bitsPerSample !== 8)
          ? `has ${meta.bitsPerSample ?? meta.depth} bits per sample`
          : undefined;
  if (problem !== undefined) {
    throw new LtlabError('DATA.CORRUPT', `Label map ${path} (sample ${index}) ${problem}.`, {
      fix: FIX_FORMAT,
      details: { path, index, channels: meta.channels, depth: meta.depth, isPalette: meta.isPalette ?? false },
    });
  }
  const { width, height } = decoded.info;
  const raw = decoded.data;
  const data = new Uint8Array(width * height);
  for (let p = 0; p < data.length; p++) {
    const stored = raw[p] as number;
    const mapped = lut[stored] as number;
    if (mapped === NOT_A_LABEL) {
      const row = Math.floor(p / width);
      const column = p % width;
      throw new LtlabError(
        'DATA.CORRUPT',
        `Label map ${path} (sample ${index}) has value ${stored} at row ${row}, column ${column}; ` +
          `this dataset allows ${describeLut(lut)}.`,
        {
          fix: 'Check that the annotations belong to this dataset and were converted to train ids as documented.',
          details: { path, index, value: stored, row, column },
        },
      );
    }
    data[p] = mapped;
  }
  return { data, height, width };
}
