import { LtlabError } from '@ltlab/core';

/** An 8-bit image, row-major height x width x channels (HWC); channels is 1 (gray) or 3 (RGB). */
export interface Image {
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

export function createImage(height: number, width: number, channels: number): Image {
  if (!(height > 0 && width > 0 && (channels === 1 || channels === 3))) {
    throw new LtlabError('CONFIG.INVALID', `Cannot create a ${height}x${width}x${channels} image.`);
  }
  return { data: new Uint8Array(height * width * channels), height, width, channels };
}

export function cloneImage(image: Image): Image {
  return { ...image, data: Uint8Array.from(image.data) };
}

/** ITU-R 601-2 luma as PIL's convert('L') computes it (fixed point, rounded). */
export function luma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
}

/** The gray value of every pixel (a copy for C = 1). */
export function grayPlane(image: Image): Uint8Array {
  const { data, channels } = image;
  const n = image.height * image.width;
  if (channels === 1) return Uint8Array.from(data);
  const out = new Uint8Array(n);
  for (let p = 0, q = 0; p < n; p++, q += 3)
    out[p] = luma(data[q] as number, data[q + 1] as number, data[q + 2] as number);
  return out;
}

/** Clamps to [0, 255] and truncates, as PIL's blend and enhance write 8-bit results. */
export function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.trunc(value);
}
