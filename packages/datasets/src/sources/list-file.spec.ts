import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { patternPixels, tempDir } from '../__fixtures__/files.js';
import { imageFolderSource } from './image-folder.js';
import { listFileSource } from './list-file.js';

const root = tempDir('list');

/** A smooth 8x8 gradient: JPEG keeps it close (sharp-edged patterns suffer from chroma subsampling). */
function smoothPixels(): Uint8Array {
  return Uint8Array.from(
    { length: 8 * 8 * 3 },
    (_, i) => 40 + 10 * Math.floor(i / 24) + 8 * (Math.floor(i / 3) % 8) + 20 * (i % 3),
  );
}

async function writePng(path: string, seed: number, height = 6, width = 5): Promise<void> {
  await sharp(Buffer.from(patternPixels(height, width, 3, seed)), { raw: { height, width, channels: 3 } })
    .png()
    .toFile(path);
}

beforeAll(async () => {
  for (const folder of ['train/n01', 'train/n02', 'folder/cat', 'folder/dog'])
    mkdirSync(join(root, folder), { recursive: true });
  await writePng(join(root, 'train/n01/a.png'), 1);
  await writePng(join(root, 'train/n02/b c.png'), 2);
  await sharp(Buffer.from(smoothPixels()), { raw: { height: 8, width: 8, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(join(root, 'train/n02/c.jpg'));
  await writePng(join(root, 'folder/cat/1.png'), 4);
  await writePng(join(root, 'folder/dog/2.png'), 5);
  await writePng(join(root, 'folder/dog/1.png'), 6);
  writeFileSync(join(root, 'folder/dog/notes.txt'), 'not an image');
  // A PNG cut in half: the header parses, the pixel data ends early.
  const whole = readFileSync(join(root, 'train/n01/a.png'));
  writeFileSync(join(root, 'train/n01/broken.png'), whole.subarray(0, Math.floor(whole.length / 2)));
  writeFileSync(join(root, 'train.txt'), 'train/n01/a.png 0\ntrain/n02/b c.png 1\n\ntrain/n02/c.jpg 1\n');
  writeFileSync(join(root, 'broken.txt'), 'train/n01/a.png 0\ntrain/n01/broken.png 0\n');
});

describe('listFileSource', () => {
  it('reads <path> <label> lines (paths with spaces) and decodes PNG exactly', async () => {
    const source = listFileSource({ listFile: join(root, 'train.txt'), root, numClasses: 3 });
    expect(source.size).toBe(3);
    expect(Array.from(source.labels)).toEqual([0, 1, 1]);
    expect(Array.from(source.classCounts)).toEqual([1, 2, 0]);
    const sample = await source.load(1);
    expect(sample.label).toBe(1);
    expect([sample.image.height, sample.image.width, sample.image.channels]).toEqual([6, 5, 3]);
    expect(Array.from(sample.image.data)).toEqual(Array.from(patternPixels(6, 5, 3, 2)));
  });

  it('decodes JPEG close to the original, to gray, and resized', async () => {
    const color = listFileSource({ listFile: join(root, 'train.txt'), root });
    const jpeg = await color.load(2);
    const original = smoothPixels();
    const meanError =
      jpeg.image.data.reduce((acc, v, i) => acc + Math.abs(v - (original[i] as number)), 0) / original.length;
    expect(meanError).toBeLessThan(6);
    const gray = listFileSource({
      listFile: join(root, 'train.txt'),
      root,
      decode: { channels: 1, size: { height: 4, width: 3 } },
    });
    const small = await gray.load(0);
    expect([small.image.height, small.image.width, small.image.channels]).toEqual([4, 3, 1]);
  });

  it('fails with DATA.CORRUPT naming the file and index of a truncated image', async () => {
    const source = listFileSource({ listFile: join(root, 'broken.txt'), root });
    await expect(source.load(0)).resolves.toBeDefined();
    await expect(source.load(1)).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(/broken\.png \(sample 1\)/),
      details: { index: 1 },
    });
  });

  it('rejects malformed lines with their line number', () => {
    writeFileSync(join(root, 'bad.txt'), 'train/n01/a.png 0\ntrain/n01/a.png\n');
    expect(() => listFileSource({ listFile: join(root, 'bad.txt'), root })).toThrow(
      expect.objectContaining({ code: 'DATA.CORRUPT', message: expect.stringContaining('line 2') }),
    );
    expect(() => listFileSource({ listFile: join(root, 'none.txt'), root })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING' }),
    );
  });
});

describe('imageFolderSource', () => {
  it('takes classes from sorted folder names and skips non-images', async () => {
    const source = imageFolderSource({ root: join(root, 'folder') });
    expect(source.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(source.labels)).toEqual([0, 1, 1]);
    expect(source.path(1).endsWith('dog/1.png')).toBe(true);
    const sample = await source.load(1);
    expect(Array.from(sample.image.data)).toEqual(Array.from(patternPixels(6, 5, 3, 6)));
  });
});
