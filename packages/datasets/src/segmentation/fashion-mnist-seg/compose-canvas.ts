import { LtlabError, type Rng } from '@ltlab/core';

/** One item to paste: a gray `size` x `size` picture and the class its foreground pixels get. */
export interface CanvasItem {
  pixels: Uint8Array;
  classId: number;
}

export interface CanvasOptions {
  canvasSize: number;
  itemSize: number;
  /** A pixel is the item's (foreground) when its value is above this; the rest is transparent. */
  foregroundThreshold: number;
  /** Every item keeps at least this share of its foreground pixels visible after later items cover it. */
  minVisibleFraction: number;
  /** Random positions tried for each item before the canvas falls back to the grid layout. */
  placementTries: number;
  /** Label of pixels no item covers. */
  backgroundClass: number;
}

export interface Canvas {
  /** canvasSize^2 gray values: the items' foreground pixels on black. */
  image: Uint8Array;
  /** canvasSize^2 class ids: the class of the topmost item covering the pixel, else the background. */
  label: Uint8Array;
  /** Whether the items ended on the non-overlapping grid (random placement kept failing). */
  grid: boolean;
}

/** Foreground pixel offsets (y * size + x) of an item. */
export function foregroundOffsets(pixels: Uint8Array, threshold: number): Int32Array {
  const out: number[] = [];
  for (let p = 0; p < pixels.length; p++) if ((pixels[p] as number) > threshold) out.push(p);
  return Int32Array.from(out);
}

/**
 * Pastes `items` in order (later ones on top) at seeded random positions on a black canvas. An
 * item is pasted through its foreground mask (pixels above the threshold); where it lands, the
 * canvas takes its pixel values and the label map its class. A position is accepted only if every
 * item placed so far keeps `minVisibleFraction` of its foreground visible, so each item's class is
 * in the label map; after `placementTries` rejected positions for one item, the canvas starts over
 * on a grid of ceil(sqrt(n)) x ceil(sqrt(n)) cells, one item per cell at a random offset within it,
 * where items cannot overlap.
 */
export function composeCanvas(items: readonly CanvasItem[], options: CanvasOptions, rng: Rng): Canvas {
  const { canvasSize: S, itemSize: T } = options;
  const masks = items.map((item) => foregroundOffsets(item.pixels, options.foregroundThreshold));
  const needed = masks.map((mask) => Math.max(1, Math.ceil(options.minVisibleFraction * mask.length)));
  if (masks.some((mask) => mask.length === 0)) {
    throw new LtlabError('INTERNAL', 'composeCanvas got an item without foreground pixels.');
  }
  const cells = Math.ceil(Math.sqrt(items.length));
  if (Math.floor(S / cells) < T) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `A ${S}-pixel canvas cannot lay ${items.length} items of ${T} pixels side by side.`,
      {
        fix: `Use a canvas of at least ${cells * T} pixels, or fewer items per canvas.`,
      },
    );
  }
  const tryRandom = (): Int32Array | undefined => {
    const owner = new Int32Array(S * S).fill(-1);
    const visible = new Int32Array(items.length);
    const origins = new Int32Array(items.length);
    for (let j = 0; j < items.length; j++) {
      const mask = masks[j] as Int32Array;
      let placed = false;
      for (let attempt = 0; attempt < options.placementTries && !placed; attempt++) {
        const origin = rng.int(0, S - T + 1) * S + rng.int(0, S - T + 1);
        const lost = new Int32Array(j);
        for (const p of mask) {
          const below = owner[origin + Math.floor(p / T) * S + (p % T)] as number;
          if (below >= 0) lost[below] = (lost[below] as number) + 1;
        }
        let keeps = true;
        for (let k = 0; k < j && keeps; k++)
          keeps = (visible[k] as number) - (lost[k] as number) >= (needed[k] as number);
        if (!keeps) continue;
        for (let k = 0; k < j; k++) visible[k] = (visible[k] as number) - (lost[k] as number);
        for (const p of mask) owner[origin + Math.floor(p / T) * S + (p % T)] = j;
        visible[j] = mask.length;
        origins[j] = origin;
        placed = true;
      }
      if (!placed) return undefined;
    }
    return origins;
  };
  const gridOrigins = (): Int32Array => {
    const cell = Math.floor(S / cells);
    const slots = rng.permutation(cells * cells);
    return Int32Array.from(items, (_, j) => {
      const slot = slots[j] as number;
      const top = Math.floor(slot / cells) * cell + rng.int(0, cell - T + 1);
      const left = (slot % cells) * cell + rng.int(0, cell - T + 1);
      return top * S + left;
    });
  };
  const random = tryRandom();
  const origins = random ?? gridOrigins();
  const image = new Uint8Array(S * S);
  const label = new Uint8Array(S * S).fill(options.backgroundClass);
  items.forEach((item, j) => {
    const origin = origins[j] as number;
    for (const p of masks[j] as Int32Array) {
      const q = origin + Math.floor(p / T) * S + (p % T);
      image[q] = item.pixels[p] as number;
      label[q] = item.classId;
    }
  });
  return { image, label, grid: random === undefined };
}
