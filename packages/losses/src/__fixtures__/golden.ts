import { readGolden as readGoldenData } from '@ltlab/golden';
import * as tf from '@tensorflow/tfjs-core';

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

/** One loss golden file of `@ltlab/golden`, checked to hold cases. */
export function readGolden(file: string): GoldenFile {
  const parsed = readGoldenData(file) as GoldenFile;
  if (!Array.isArray(parsed.cases) || parsed.cases.length === 0) throw new Error(`Golden file ${file} has no cases`);
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
