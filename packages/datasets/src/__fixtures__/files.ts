import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary directory removed after the spec file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ltlab-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A deterministic test image whose pixel values encode (seed, y, x, c). */
export function patternPixels(height: number, width: number, channels: number, seed: number): Uint8Array {
  const out = new Uint8Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++)
        out[(y * width + x) * channels + c] = (seed * 37 + y * 11 + x * 7 + c * 53) % 256;
    }
  }
  return out;
}
