import { LtlabError } from '@ltlab/core';

/** One saved tensor: its shape, dtype and values in row-major order. */
export interface WeightEntry {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/**
 * Named tensors of a module, running statistics included: what a checkpoint stores. Names are
 * torchvision-like (`layer1.0.conv1.weight`); shapes use the TF.js layouts (conv filters
 * `[kh, kw, inPerGroup, out]`, dense weights `[in, out]`).
 */
export type WeightMap = Record<string, WeightEntry>;

/** What a loader expects for one name. */
export interface ExpectedWeight {
  name: string;
  shape: readonly number[];
  dtype: 'float32' | 'int32';
}

/**
 * Checks `map` against the expected names and shapes before anything is written, so a bad
 * checkpoint never leaves a model half loaded. A different architecture (missing, extra or
 * reshaped names) is CONFIG.INVALID; values that do not fit their own declared shape are
 * CHECKPOINT.CORRUPT.
 */
export function validateWeightMap(expected: readonly ExpectedWeight[], map: unknown, what: string): WeightMap {
  if (typeof map !== 'object' || map === null) {
    throw new LtlabError('CHECKPOINT.CORRUPT', `Weights for ${what} are not an object of named tensors.`, {
      fix: 'Load a map produced by exportWeights().',
    });
  }
  const record = map as Record<string, unknown>;
  const expectedNames = new Set(expected.map((entry) => entry.name));
  const missing = expected.filter((entry) => !Object.hasOwn(record, entry.name)).map((entry) => entry.name);
  const unexpected = Object.keys(record).filter((name) => !expectedNames.has(name));
  const reshaped: string[] = [];
  const corrupt: string[] = [];
  for (const entry of expected) {
    const raw = record[entry.name];
    if (raw === undefined) continue;
    const problem = entryProblem(raw, entry);
    if (problem === null) continue;
    if (problem.kind === 'shape') reshaped.push(`${entry.name}: ${problem.message}`);
    else corrupt.push(`${entry.name}: ${problem.message}`);
  }
  if (missing.length > 0 || unexpected.length > 0 || reshaped.length > 0) {
    const lines = [
      ...missing.slice(0, 10).map((name) => `  - missing ${name}`),
      ...unexpected.slice(0, 10).map((name) => `  - unexpected ${name}`),
      ...reshaped.slice(0, 10).map((line) => `  - ${line}`),
    ];
    throw new LtlabError('CONFIG.INVALID', `Weights do not match ${what}:\n${lines.join('\n')}`, {
      fix: 'Load weights saved from the same backbone, class count and input channels.',
      details: { missing, unexpected, reshaped },
    });
  }
  if (corrupt.length > 0) {
    throw new LtlabError(
      'CHECKPOINT.CORRUPT',
      `Damaged weights for ${what}:\n  - ${corrupt.slice(0, 10).join('\n  - ')}`,
      {
        fix: 'The checkpoint is damaged: resume from an earlier one.',
        details: { corrupt },
      },
    );
  }
  return record as WeightMap;
}

type EntryProblem = { kind: 'shape' | 'corrupt'; message: string };

function entryProblem(raw: unknown, expected: ExpectedWeight): EntryProblem | null {
  if (typeof raw !== 'object' || raw === null) return { kind: 'corrupt', message: 'not a tensor entry' };
  const entry = raw as Partial<WeightEntry>;
  if (!Array.isArray(entry.shape) || !entry.shape.every((dim) => Number.isInteger(dim) && dim >= 0)) {
    return { kind: 'corrupt', message: 'shape is not a list of sizes' };
  }
  if (entry.shape.length !== expected.shape.length || entry.shape.some((dim, i) => dim !== expected.shape[i])) {
    return { kind: 'shape', message: `shape [${entry.shape.join(', ')}], expected [${expected.shape.join(', ')}]` };
  }
  if (entry.dtype !== expected.dtype) {
    return { kind: 'shape', message: `dtype ${String(entry.dtype)}, expected ${expected.dtype}` };
  }
  const ValuesType = expected.dtype === 'float32' ? Float32Array : Int32Array;
  if (!(entry.values instanceof ValuesType)) return { kind: 'corrupt', message: `values are not a ${ValuesType.name}` };
  const size = expected.shape.reduce((a, b) => a * b, 1);
  if (entry.values.length !== size) {
    return { kind: 'corrupt', message: `${entry.values.length} values for shape of size ${size}` };
  }
  return null;
}
