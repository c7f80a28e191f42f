import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The reference values the tests compare against (see this folder's README): JSON produced by
 * the original PyTorch code, kept in this repository so a clone tests on its own.
 */
export const GOLDEN_DIR = fileURLToPath(new URL('../data/', import.meta.url));

/** The names of every golden file, without `.json`. */
export function goldenNames(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** Parses one golden file (`name` without `.json`); a missing file fails loudly, never skips. */
export function readGolden(name: string): unknown {
  const path = join(GOLDEN_DIR, `${name}.json`);
  if (!existsSync(path)) {
    throw new Error(`Golden file not found: ${path}. Known: ${goldenNames().join(', ')}.`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}
