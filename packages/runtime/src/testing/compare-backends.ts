import { Rng } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type InitRuntimeOptions, initRuntime } from '../init-runtime.js';
import { type ReferenceModel, randomBatch, softmaxCrossEntropy } from './reference-models.js';

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

/**
 * Loss and every parameter gradient of one softmax cross-entropy step of `make()` on a seeded
 * batch, on `backend` with `options` (wasm keeps the thread count this process already started it with).
 */
export async function lossAndGradients(
  backend: 'cpu' | 'wasm' | 'native',
  make: () => ReferenceModel,
  batch: number,
  options: Omit<InitRuntimeOptions, 'backend'> = {},
): Promise<{ loss: number; grads: Float32Array[] }> {
  await initRuntime({ ...options, backend });
  const model = make();
  const { x, labels } = randomBatch(model, batch, 7);
  const { value, grads } = tf.variableGrads(
    () => softmaxCrossEntropy(model.forward(x), labels, model.numClasses),
    model.params,
  );
  const result = {
    loss: value.dataSync()[0] as number,
    grads: model.params.map((p) => Float32Array.from((grads[p.name] as tf.Tensor).dataSync())),
  };
  tf.dispose([value, x, labels, ...Object.values(grads)]);
  model.dispose();
  return result;
}
