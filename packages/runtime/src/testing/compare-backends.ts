import { Rng } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';

/** Seeded normal data for a tensor of `shape`, the same on every backend. */
export function seededNormal(shape: number[], seed: number, shift = 0): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.normal() + shift;
  return tf.tensor(data, shape);
}

/** max |a - b| / max |b|: the relative error the runtime's tests bound by 1e-4. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Runs `fn` on the cpu then the wasm backend; returns both outputs' values, flattened. */
export async function onCpuAndWasm(
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = async (backend: string): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const out = tf.tidy(fn);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(list);
    return values;
  };
  return { cpu: await run('cpu'), wasm: await run('wasm') };
}
