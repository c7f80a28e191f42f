import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The reference vectors of ../shared/golden (see its README): produced by the original PyTorch
 * code. Resolved from this file: packages/losses/src/__fixtures__ -> <repo>/../shared/golden.
 */
export const GOLDEN_DIR =
  process.env.LTLAB_GOLDEN_DIR ?? fileURLToPath(new URL('../../../../../shared/golden', import.meta.url));

export type Nested = number | Nested[];

export interface Tolerance {
  rtol: number;
  atol: number;
}

export interface GoldenCase {
  name: string;
  options: Record<string, unknown>;
  inputs: Record<string, Nested | null>;
  expected: { loss: number; grads: Record<string, Nested>; [extra: string]: unknown };
  tolerance: Tolerance;
}

export interface GoldenFile {
  loss: string;
  reference: string;
  cases: GoldenCase[];
}

/** Reads one golden file; a missing directory or file fails loudly, never skips. */
export function readGolden(file: string): GoldenFile {
  if (!existsSync(GOLDEN_DIR)) {
    throw new Error(
      `Golden directory not found: ${GOLDEN_DIR}. Check out ltlab's shared/ beside the repository ` +
        '(or set LTLAB_GOLDEN_DIR); the golden tests cannot run without it.',
    );
  }
  const path = join(GOLDEN_DIR, `${file}.json`);
  if (!existsSync(path)) throw new Error(`Golden file not found: ${path}`);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as GoldenFile;
  if (!Array.isArray(parsed.cases) || parsed.cases.length === 0) throw new Error(`Golden file has no cases: ${path}`);
  return parsed;
}

/** Inputs that hold integers (int32 tensors); every other input is float32. */
const INTEGER_INPUTS = new Set(['labels', 'classCounts']);

/** Tensors from a case's plain JSON inputs, with `null` kept for absent optional inputs. */
export function toTensors(inputs: Record<string, Nested | null>): Record<string, tf.Tensor | null> {
  const out: Record<string, tf.Tensor | null> = {};
  for (const [key, value] of Object.entries(inputs)) {
    out[key] = value === null ? null : tf.tensor(value, undefined, INTEGER_INPUTS.has(key) ? 'int32' : 'float32');
  }
  return out;
}

export function flatten(value: Nested): number[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

/** The elements outside `|a - e| <= atol + rtol * |e|` (NaN never passes), as readable lines. */
export function toleranceViolations(
  actual: ArrayLike<number>,
  expected: readonly number[],
  tolerance: Tolerance,
): string[] {
  if (actual.length !== expected.length) return [`length ${actual.length} != expected ${expected.length}`];
  const out: string[] = [];
  for (let i = 0; i < expected.length; i += 1) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= allowed))
      out.push(`[${i}] actual ${a} expected ${e} (|diff| ${Math.abs(a - e)} > ${allowed})`);
  }
  return out;
}
