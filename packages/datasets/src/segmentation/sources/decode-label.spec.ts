import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { writeLabelPng, writeRgbImage } from '../../__fixtures__/segmentation-files.js';
import { reduceZeroLabelLut, trainIdLut } from '../label-lut.js';
import { decodeLabelFile } from './decode-label.js';

const dir = tempDir('decode-label');
const values = [0, 1, 2, 255, 150, 3];

beforeAll(async () => {
  await writeLabelPng(join(dir, 'ok.png'), values, 2, 3);
  await writeLabelPng(join(dir, 'high.png'), [0, 1, 2, 3, 151, 5], 2, 3);
  await writeRgbImage(join(dir, 'rgb.png'), new Uint8Array(18).fill(3), 2, 3);
  await sharp(Buffer.from(Uint8Array.from(values)), { raw: { height: 2, width: 3, channels: 1 } })
    .png({ palette: true, colours: 8 })
    .toFile(join(dir, 'palette.png'));
  await sharp(Buffer.from(Uint8Array.from(values)), { raw: { height: 2, width: 3, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toFile(join(dir, 'deep.png'));
  await sharp(Buffer.from(new Uint8Array(64 * 64).fill(4)), { raw: { height: 64, width: 64, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(join(dir, 'whole.png'));
  const whole = readFileSync(join(dir, 'whole.png'));
  writeFileSync(join(dir, 'cut.png'), whole.subarray(0, Math.floor(whole.length / 2)));
  writeFileSync(join(dir, 'text.png'), 'not a png');
});

describe('decodeLabelFile', () => {
  it('reads the stored values of a gray PNG through the LUT', async () => {
    const ade = await decodeLabelFile(join(dir, 'ok.png'), 0, reduceZeroLabelLut(150));
    expect([ade.height, ade.width]).toEqual([2, 3]);
    expect(Array.from(ade.data)).toEqual([255, 0, 1, 255, 149, 2]);
    const whole = await decodeLabelFile(join(dir, 'whole.png'), 0, trainIdLut(5));
    expect(whole.data.every((v) => v === 4)).toBe(true);
  });

  it('rejects values outside the classes naming the file, the value and the pixel', async () => {
    await expect(decodeLabelFile(join(dir, 'ok.png'), 7, trainIdLut(19))).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(
        /ok\.png \(sample 7\) has value 150 at row 1, column 1; this dataset allows 0-18, 255/,
      ),
      details: { value: 150, row: 1, column: 1 },
    });
    await expect(decodeLabelFile(join(dir, 'high.png'), 0, reduceZeroLabelLut(150))).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringContaining('value 151'),
    });
  });

  it('rejects colour, palette and 16-bit label maps', async () => {
    await expect(decodeLabelFile(join(dir, 'deep.png'), 0, trainIdLut(5))).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(/deep\.png \(sample 0\) has 16 bits per sample/),
    });
    await expect(decodeLabelFile(join(dir, 'rgb.png'), 0, trainIdLut(5))).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(/rgb\.png \(sample 0\) has 3 channels/),
    });
    await expect(decodeLabelFile(join(dir, 'palette.png'), 0, trainIdLut(5))).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringContaining('palette'),
    });
  });

  it('rejects truncated and non-image files, and says when the file is missing', async () => {
    await expect(decodeLabelFile(join(dir, 'cut.png'), 3, trainIdLut(5))).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(/Cannot decode label map .*cut\.png \(sample 3\)/),
    });
    await expect(decodeLabelFile(join(dir, 'text.png'), 0, trainIdLut(5))).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
    });
    await expect(decodeLabelFile(join(dir, 'none.png'), 0, trainIdLut(5))).rejects.toMatchObject({
      code: 'DATA.MISSING',
      message: expect.stringContaining('none.png'),
    });
  });
});
