import { describe, expect, it } from 'vitest';
import { describeLut, NOT_A_LABEL, reduceZeroLabelLut, tableLut, trainIdLut } from './label-lut.js';

describe('label LUTs', () => {
  it('train ids keep 0..C-1 and 255 and reject the rest', () => {
    const lut = trainIdLut(19);
    expect([lut[0], lut[18], lut[255]]).toEqual([0, 18, 255]);
    expect([lut[19], lut[254]]).toEqual([NOT_A_LABEL, NOT_A_LABEL]);
    expect(describeLut(lut)).toBe('0-18, 255');
  });

  it('reduce-zero-label ignores 0, shifts 1..C down by one and keeps 255 ignored (mmseg)', () => {
    const lut = reduceZeroLabelLut(150);
    expect([lut[0], lut[1], lut[150], lut[255]]).toEqual([255, 0, 149, 255]);
    expect([lut[151], lut[254]]).toEqual([NOT_A_LABEL, NOT_A_LABEL]);
    expect(describeLut(lut)).toBe('0-150, 255');
  });

  it('tables map listed values only and check their targets', () => {
    const lut = tableLut(
      new Map([
        [3, 0],
        [7, 255],
        [9, 1],
      ]),
      2,
    );
    expect([lut[3], lut[7], lut[9], lut[4]]).toEqual([0, 255, 1, NOT_A_LABEL]);
    expect(describeLut(lut)).toBe('3, 7, 9');
    expect(() => tableLut(new Map([[1, 2]]), 2)).toThrow(/Bad label table entry 1 -> 2/);
    expect(() => trainIdLut(0)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    expect(() => trainIdLut(256)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
  });
});
