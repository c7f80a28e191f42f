import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * `tf.tidy` for async work: tensors created while `fn` runs are disposed when it settles, except
 * those it returns (any tensors reachable in the result, as in `tf.tidy`). Do not interleave two
 * scopes concurrently: TF.js tracks one scope stack per process.
 */
export async function tidyAsync<T extends tf.TensorContainer>(fn: () => Promise<T>, name = 'tidyAsync'): Promise<T> {
  const engine = tf.engine();
  engine.startScope(name);
  let result: T | undefined;
  try {
    result = await fn();
    return result;
  } finally {
    engine.endScope(result);
  }
}

export interface TensorLeak {
  tensors: number;
  bytes: number;
}

/** Tensors and bytes still alive after `fn` that were not alive before it (excluding its result). */
export async function measureTensorLeak<T>(fn: () => T | Promise<T>): Promise<{ result: T; leak: TensorLeak }> {
  const before = tf.memory();
  const result = await fn();
  const after = tf.memory();
  const kept = resultTensors(result);
  const keptBytes = kept.reduce((sum, t) => sum + t.size * bytesPer(t.dtype), 0);
  return {
    result,
    leak: {
      tensors: after.numTensors - before.numTensors - kept.length,
      bytes: after.numBytes - before.numBytes - keptBytes,
    },
  };
}

/** Runs `fn` and throws INTERNAL naming the count when it leaves tensors behind (for tests). */
export async function assertNoTensorLeak<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  const { result, leak } = await measureTensorLeak(fn);
  if (leak.tensors !== 0) {
    throw new LtlabError('INTERNAL', `${what} leaked ${leak.tensors} tensor(s), ${leak.bytes} bytes`, {
      fix: 'Wrap the computation in tf.tidy / tidyAsync, or dispose the intermediates.',
    });
  }
  return result;
}

function resultTensors(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(resultTensors);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(resultTensors);
  return [];
}

function bytesPer(dtype: tf.DataType): number {
  return dtype === 'complex64' ? 8 : dtype === 'string' ? 0 : 4;
}
