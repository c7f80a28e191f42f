import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { type CanvasItem, composeCanvas, foregroundOffsets } from './compose-canvas.js';

/** A 4x4 item: a filled square of `value` at rows/columns [from, to), faint (3) elsewhere. */
function item(value: number, classId: number, from = 0, to = 4): CanvasItem {
  const pixels = new Uint8Array(16).fill(3);
  for (let y = from; y < to; y++) for (let x = from; x < to; x++) pixels[y * 4 + x] = value;
  return { pixels, classId };
}

const options = {
  canvasSize: 8,
  itemSize: 4,
  foregroundThreshold: 10,
  minVisibleFraction: 0.5,
  placementTries: 50,
  backgroundClass: 0,
};

describe('composeCanvas', () => {
  it('pastes items through their foreground: labels follow the visible pixels', () => {
    for (let seed = 0; seed < 20; seed++) {
      const canvas = composeCanvas([item(100, 1), item(200, 2, 1, 3), item(150, 3)], options, new Rng(seed));
      for (let p = 0; p < 64; p++) {
        const v = canvas.image[p] as number;
        // Faint item pixels are transparent: the canvas is 0 or an item's foreground value.
        expect([0, 100, 150, 200]).toContain(v);
        expect(canvas.label[p]).toBe({ 0: 0, 100: 1, 200: 2, 150: 3 }[v]);
      }
      // Every item keeps at least half of its foreground visible.
      const visible = [1, 2, 3].map((c) => canvas.label.filter((l) => l === c).length);
      expect(visible[0]).toBeGreaterThanOrEqual(8);
      expect(visible[1]).toBeGreaterThanOrEqual(2);
      expect(visible[2]).toBeGreaterThanOrEqual(8);
    }
  });

  it('puts later items on top', () => {
    // Overlap allowed (a 1% visibility floor): the last item is always whole, earlier ones get covered.
    let covered = 0;
    for (let seed = 0; seed < 20; seed++) {
      const canvas = composeCanvas(
        [item(100, 1), item(200, 2)],
        { ...options, minVisibleFraction: 0.01 },
        new Rng(seed),
      );
      expect(canvas.label.filter((l) => l === 2).length).toBe(16);
      if (canvas.label.filter((l) => l === 1).length < 16) covered++;
    }
    expect(covered).toBeGreaterThan(0);
  });

  it('falls back to a non-overlapping grid when random positions keep hiding items', () => {
    // Four 4x4 items on an 8x8 canvas with everything required visible: only the grid works reliably.
    const items = [item(100, 1), item(110, 2), item(120, 3), item(130, 4)];
    let grids = 0;
    for (let seed = 0; seed < 10; seed++) {
      const canvas = composeCanvas(items, { ...options, minVisibleFraction: 1, placementTries: 3 }, new Rng(seed));
      if (canvas.grid) grids++;
      for (const c of [1, 2, 3, 4]) expect(canvas.label.filter((l) => l === c).length).toBe(16);
    }
    expect(grids).toBeGreaterThan(0);
  });

  it('refuses a canvas too small for the grid fallback', () => {
    expect(() => composeCanvas([item(100, 1), item(100, 2)], { ...options, canvasSize: 7 }, new Rng(0))).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });

  it('is deterministic by seed', () => {
    const items = [item(100, 1), item(200, 2, 1, 3)];
    const a = composeCanvas(items, options, new Rng(9));
    expect(composeCanvas(items, options, new Rng(9))).toEqual(a);
    expect(foregroundOffsets(Uint8Array.from([0, 11, 10, 255]), 10)).toEqual(Int32Array.from([1, 3]));
  });
});
