import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRuntime } from './init-runtime.js';
import { assertNoTensorLeak, measureTensorLeak, tidyAsync } from './memory.js';

beforeAll(async () => {
  await initRuntime({ backend: 'wasm' });
});

describe('memory helpers', () => {
  it('tidyAsync disposes what an async function created and keeps what it returns', async () => {
    const before = tf.memory().numTensors;
    const kept = await tidyAsync(async () => {
      const a = tf.ones([4]);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const b = tf.add(a, 1);
      return { b };
    });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(kept.b.dataSync())).toEqual([2, 2, 2, 2]);
    kept.b.dispose();
  });

  it('measureTensorLeak counts tensors left behind, not the returned ones', async () => {
    const { leak, result } = await measureTensorLeak(() => {
      tf.zeros([3]);
      return tf.ones([2]);
    });
    expect(leak).toEqual({ tensors: 1, bytes: 12 });
    result.dispose();
  });

  it('assertNoTensorLeak passes tidy code and throws INTERNAL on a leak', async () => {
    await expect(assertNoTensorLeak('tidy', () => tf.tidy(() => tf.sum(tf.ones([5])).dataSync()[0]))).resolves.toBe(5);
    let leaked: tf.Tensor | undefined;
    await expect(
      assertNoTensorLeak('leaky', () => {
        leaked = tf.ones([2]);
      }),
    ).rejects.toMatchObject({ code: 'INTERNAL', message: /leaky leaked 1 tensor/ });
    leaked?.dispose();
  });
});
