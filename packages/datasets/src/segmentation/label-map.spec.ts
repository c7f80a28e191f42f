import { describe, expect, it } from 'vitest';
import { createLabelMap, IGNORE_INDEX } from './label-map.js';

describe('createLabelMap', () => {
  it('makes a filled height x width map and rejects empty sizes', () => {
    const map = createLabelMap(2, 3, IGNORE_INDEX);
    expect([map.height, map.width, map.data.length]).toEqual([2, 3, 6]);
    expect(Array.from(map.data)).toEqual([255, 255, 255, 255, 255, 255]);
    expect(() => createLabelMap(0, 3)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    expect(() => createLabelMap(2, 1.5)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
  });
});
