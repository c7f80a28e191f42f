import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';

/** Writes `values` (height x width, row-major) as an 8-bit gray PNG: a label map as datasets store them. */
export async function writeLabelPng(
  path: string,
  values: ArrayLike<number>,
  height: number,
  width: number,
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await sharp(Buffer.from(Uint8Array.from(values)), { raw: { height, width, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(path);
}

/** Writes an RGB image (PNG, or JPEG at quality 95 for a .jpg path). */
export async function writeRgbImage(path: string, pixels: Uint8Array, height: number, width: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const image = sharp(Buffer.from(pixels), { raw: { height, width, channels: 3 } });
  await (path.endsWith('.jpg') ? image.jpeg({ quality: 95 }) : image.png()).toFile(path);
}

/** An RGB image whose red channel encodes the label: red = (40 * label + 20) mod 256 (255 for ignored pixels). */
export function imageFromLabel(label: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(label.length * 3);
  for (let p = 0; p < label.length; p++) {
    const v = label[p] as number;
    out[p * 3] = v === 255 ? 255 : (40 * v + 20) % 256;
    out[p * 3 + 1] = (p * 7) % 256;
    out[p * 3 + 2] = 100;
  }
  return out;
}

/** An IDX file of unsigned bytes (LeCun's MNIST format). */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, k) => {
    view.setUint32(4 + 4 * k, d, false);
  });
  return Buffer.concat([header, data]);
}

/**
 * A small Fashion-MNIST stand-in: `perClass` 28x28 pictures of each of the 10 classes per split.
 * Class k's picture is a filled rectangle of value 100 + 10 k (so the class can be read back from
 * a pixel value) on a faint border of value 8, below the default foreground threshold.
 */
export function writeFashionMnistFixture(dir: string, perClass: { train: number; test: number }): void {
  mkdirSync(dir, { recursive: true });
  for (const [prefix, n] of [
    ['train', perClass.train],
    ['t10k', perClass.test],
  ] as const) {
    const count = 10 * n;
    const images = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const k = i % 10;
      labels[i] = k;
      // Sizes vary by class and picture so regions differ in area, as real items do.
      const h = 10 + k + (i % 3);
      const w = 8 + ((k * 3 + i) % 12);
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const inside = y >= 14 - (h >> 1) && y < 14 - (h >> 1) + h && x >= 14 - (w >> 1) && x < 14 - (w >> 1) + w;
          const border = y >= 2 && y < 26 && x >= 2 && x < 26;
          images[i * 784 + y * 28 + x] = inside ? 100 + 10 * k : border ? 8 : 0;
        }
      }
    }
    writeFileSync(`${dir}/${prefix}-images-idx3-ubyte.gz`, gzipSync(idxBytes([count, 28, 28], images)));
    writeFileSync(`${dir}/${prefix}-labels-idx1-ubyte`, idxBytes([count], labels));
  }
}

/**
 * A pair whose image encodes its label so alignment can be checked after any geometric step:
 * labels 0..3 in `block` x `block` squares, red = 255 where bit 0 of the label is set, green = 255
 * where bit 1 is, blue 77. A resampled pixel whose red and green are both exactly 0 or 255 had
 * all its source taps in one class, so its label must be that class (see `labelOfPurePixel`).
 */
export function blockPair(height: number, width: number, block: number) {
  const label = new Uint8Array(height * width);
  const image = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = (Math.floor(y / block) * 3 + Math.floor(x / block)) % 4;
      const p = y * width + x;
      label[p] = v;
      image[p * 3] = v & 1 ? 255 : 0;
      image[p * 3 + 1] = v & 2 ? 255 : 0;
      image[p * 3 + 2] = 77;
    }
  }
  return { image: { data: image, height, width, channels: 3 }, label: { data: label, height, width } };
}

/** The label a pure pixel of a blockPair image encodes, or undefined for a blended pixel. */
export function labelOfPurePixel(red: number, green: number): number | undefined {
  const pure = (v: number) => v === 0 || v === 255;
  return pure(red) && pure(green) ? (red === 255 ? 1 : 0) + (green === 255 ? 2 : 0) : undefined;
}
