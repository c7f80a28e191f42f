import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendChoiceFromEnv } from './backend-choice.js';
import { initRuntime } from './init-runtime.js';

const nativeBuilt = existsSync(fileURLToPath(new URL('../native/build/ltlab_native.node', import.meta.url)));

describe('initRuntime', () => {
  // First in the file: the addon is loaded once per process, so its absence is shown before.
  it('without the native addon, auto falls back to wasm naming the apt command, and native is a coded error', async () => {
    process.env.LTLAB_NATIVE_ADDON = '/nonexistent/ltlab_native.node';
    try {
      const auto = await initRuntime({ backend: 'auto' });
      expect(auto.backend).toBe('wasm');
      expect(auto.reason).toMatch(/skipped .*native \(The native backend is not built/);
      expect(auto.hints.join(' ')).toMatch(/apt-get install libdnnl-dev build-essential/);
      await expect(initRuntime({ backend: 'native' })).rejects.toMatchObject({
        code: 'RUNTIME.BACKEND_UNAVAILABLE',
        fix: expect.stringMatching(/apt-get install libdnnl-dev build-essential/),
      });
    } finally {
      delete process.env.LTLAB_NATIVE_ADDON;
    }
  });

  it('activates the requested backend and reports it, with the device and hints', async () => {
    const info = await initRuntime({ backend: 'cpu' });
    expect(info.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.device).toMatch(/^CPU: .+ x\d+; pure JavaScript$/);
    expect(info.hints.join(' ')).toMatch(/LTLAB_BACKEND=wasm/);
    const auto = await initRuntime({ backend: 'auto' });
    // No native TensorFlow is installed here: auto must say why it skipped it and land on native
    // (oneDNN) where its addon was built (CI builds it), else on wasm.
    const expected = nativeBuilt || process.env.CI ? 'native' : 'wasm';
    expect(auto.backend).toBe(expected);
    expect(auto.reason).toMatch(
      new RegExp(`^auto: ${expected}; skipped .*tensorflow \\(@tensorflow/tfjs-node is not installed\\)`),
    );
    expect(auto.device).toMatch(
      expected === 'native' ? /oneDNN \d+\.\d+\.\d+ (avx|sse)\w*, \d+ threads? per process/ : /wasm/,
    );
    expect(tf.getBackend()).toBe(expected);
  });

  it('registers the wasm training kernels idempotently and has gradients for every backend', async () => {
    const first = await initRuntime({ backend: 'wasm' });
    const second = await initRuntime({ backend: 'wasm' });
    expect(second.wasmKernels).toEqual(first.wasmKernels);
    expect(first.wasmKernels?.added).toEqual(
      expect.arrayContaining(['Conv2DBackpropFilter', 'UnsortedSegmentSum', 'DepthwiseConv2dNativeBackpropFilter']),
    );
    expect(first.wasmKernels?.replaced).toEqual(
      expect.arrayContaining(['Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', '_FusedMatMul']),
    );
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.neg(tf.relu(x))))(tf.tensor1d([1, -2, 3]));
    expect(Array.from(g.dataSync())).toEqual([-1, -0, -1]);
  });

  it('fails with RUNTIME.BACKEND_UNAVAILABLE and an install hint when tensorflow is requested but absent', async () => {
    await expect(initRuntime({ backend: 'tensorflow' })).rejects.toMatchObject({
      code: 'RUNTIME.BACKEND_UNAVAILABLE',
      fix: expect.stringMatching(/npm|install/i),
    });
  });

  it('reads LTLAB_BACKEND and rejects unknown values with the allowed list', () => {
    expect(backendChoiceFromEnv({})).toBe('auto');
    expect(backendChoiceFromEnv({ LTLAB_BACKEND: 'cpu' })).toBe('cpu');
    expect(() => backendChoiceFromEnv({ LTLAB_BACKEND: 'gpu' })).toThrow(/LTLAB_BACKEND/);
  });
});
