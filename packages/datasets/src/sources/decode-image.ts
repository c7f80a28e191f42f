import { existsSync } from 'node:fs';
import { LtlabError } from '@ltlab/core';
import type { Image } from '../image.js';
import type { DecodeOptions } from './source.js';

type SharpModule = typeof import('sharp');
let sharpModule: Promise<SharpModule> | undefined;

/** sharp is loaded on first use, so pixel-only users (IDX, CIFAR) never load libvips. */
export function loadSharp(): Promise<SharpModule> {
  sharpModule ??= import('sharp').then((m) => m.default as unknown as SharpModule);
  return sharpModule;
}

/**
 * Decodes a JPEG/PNG (anything libvips reads) to HWC uint8 with sharp. libvips does the work on
 * its own threads; the loader additionally runs this inside worker threads. A truncated or
 * malformed file fails with DATA.CORRUPT naming the file and the sample index, never with a
 * partly decoded image.
 */
export async function decodeImageFile(path: string, index: number, options: DecodeOptions): Promise<Image> {
  const sharp = await loadSharp();
  try {
    // failOn 'warning' turns libvips' "premature end of file" warnings into errors.
    let pipeline = sharp(path, { failOn: 'warning' });
    if (options.size !== undefined) {
      pipeline = pipeline.resize(options.size.width, options.size.height, { fit: 'fill' });
    } else if (options.shorterSide !== undefined) {
      pipeline = pipeline.resize(options.shorterSide, options.shorterSide, { fit: 'outside' });
    }
    pipeline =
      options.channels === 1 ? pipeline.removeAlpha().grayscale() : pipeline.removeAlpha().toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return toChannels(
      { data: pixels, height: info.height, width: info.width, channels: info.channels },
      options.channels,
    );
  } catch (cause) {
    if (!existsSync(path)) {
      throw new LtlabError('DATA.MISSING', `Image file ${path} (sample ${index}) does not exist.`, {
        fix: 'Check the dataset root directory and the list file.',
        details: { path, index },
        cause,
      });
    }
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new LtlabError('DATA.CORRUPT', `Cannot decode image ${path} (sample ${index}): ${why}`, {
      fix: 'Replace or remove the damaged file (or drop its line from the list file).',
      details: { path, index },
      cause,
    });
  }
}

/** Normalises what libvips returns (gray, gray+alpha) to the requested channel count. */
function toChannels(image: Image, channels: 1 | 3): Image {
  if (image.channels === channels) return image;
  const n = image.height * image.width;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const v = image.data[p * image.channels] as number;
    for (let c = 0; c < channels; c++)
      out[p * channels + c] =
        channels === 1 ? v : (image.data[p * image.channels + Math.min(c, image.channels - 1)] as number);
  }
  return { data: out, height: image.height, width: image.width, channels };
}
