import * as tf from '@tensorflow/tfjs-core';
import { initRuntime } from '../init-runtime.js';

/**
 * Registers the webgpu backend for a test file, software adapters allowed (CI has Mesa's lavapipe),
 * and leaves cpu active. Returns why it could not, so the suite is skipped with that reason on a
 * machine without Vulkan instead of failing; `.ci/run` installs lavapipe, so CI runs it.
 */
export async function webgpuForTests(): Promise<{ available: true } | { available: false; reason: string }> {
  try {
    await initRuntime({ backend: 'webgpu', allowSoftwareAdapter: true });
    await initRuntime({ backend: 'cpu' });
    return { available: true };
  } catch (error) {
    const reason = `webgpu tests skipped: ${error instanceof Error ? error.message : String(error)}`;
    console.warn(reason);
    return { available: false, reason };
  }
}

/** Runs `fn` on `backend` and reads its outputs asynchronously (webgpu cannot read synchronously in Node). */
export async function valuesOn(
  backend: string,
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend(backend);
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  const shapes = list.map((t) => [...t.shape]);
  tf.dispose(list);
  return { values, shapes };
}
