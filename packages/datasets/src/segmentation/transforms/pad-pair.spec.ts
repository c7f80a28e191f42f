import { describe, expect, it } from 'vitest';
import { padPair } from './pad-pair.js';

describe('pad (mmseg Pad)', () => {
  it('pads to a size or a multiple, with 0 for the image and 255 for labels by default', () => {
    expect(padPair.create(padPair.schema.parse({ size: 512 }))).toEqual({
      size: [512, 512],
      sizeDivisor: undefined,
      padValue: 0,
      labelPadValue: 255,
    });
    expect(padPair.create(padPair.schema.parse({ sizeDivisor: 32, padValue: -1, labelPadValue: 0 }))).toEqual({
      size: undefined,
      sizeDivisor: 32,
      padValue: -1,
      labelPadValue: 0,
    });
  });

  it('needs exactly one of size and sizeDivisor', () => {
    expect(padPair.schema.safeParse({}).success).toBe(false);
    expect(padPair.schema.safeParse({ size: 8, sizeDivisor: 8 }).success).toBe(false);
    expect(padPair.schema.safeParse({ size: [8, 0] }).success).toBe(false);
  });
});
