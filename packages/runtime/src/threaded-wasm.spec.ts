import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initRuntime } from './init-runtime.js';
import { lossAndGradients, relativeError } from './testing/compare-backends.js';
import { createCifarResNet, createResNeXtBlockNet } from './testing/reference-models.js';
import { wasmThreadsFromEnv } from './threaded-wasm.js';

// Vitest runs each spec file in its own process: this one starts wasm with two threads.
describe('wasm with 2 XNNPACK threads (the threaded-simd binary, loaded by hand)', () => {
  it('starts with 2 threads, keeps them when no count is asked, refuses another count', async () => {
    const info = await initRuntime({ backend: 'wasm', wasmThreads: 2 });
    expect(info.device).toMatch(/wasm SIMD128, 2 threads per process$/);
    expect(info.wasmKernels?.added).toContain('Conv2DBackpropFilter');
    expect((await initRuntime({ backend: 'wasm' })).device).toMatch(/2 threads per process$/);
    await expect(initRuntime({ backend: 'wasm', wasmThreads: 1 })).rejects.toMatchObject({
      code: 'CONFIG.UNSUPPORTED',
      fix: expect.stringMatching(/LTLAB_WASM_THREADS/),
    });
  });

  // The JS kernels (max-pool gradient, segment sums, dW row blocks) read the heap through views
  // of a SharedArrayBuffer here: a 256 MB tensor first grows the shared memory under them.
  for (const [label, make, batch] of [
    ['ResNet-8', () => createCifarResNet(8, { size: 8 }), 4],
    ['ResNeXt block with max-pool stem', () => createResNeXtBlockNet({ size: 24 }), 4],
  ] as const) {
    it(`${label}: loss and gradients match the cpu backend after the shared heap grew`, async () => {
      const cpu = await lossAndGradients('cpu', make, batch);
      await initRuntime({ backend: 'wasm' });
      const ballast = tf.zeros([64 * 1024 * 1024]);
      const wasm = await lossAndGradients('wasm', make, batch);
      ballast.dispose();
      expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-4);
      expect(wasm.grads.length).toBe(cpu.grads.length);
      cpu.grads.forEach((g, i) => {
        expect(relativeError(wasm.grads[i] as Float32Array, g)).toBeLessThan(1e-3);
      });
    });
  }

  it('lets the process exit by itself (the pthread workers do not hold it open)', () => {
    const script = `
      const { initRuntime } = await import('@ltlab/runtime');
      const tf = await import('@tensorflow/tfjs-core');
      const info = await initRuntime({ backend: 'wasm', wasmThreads: 2 });
      const y = tf.conv2d(tf.ones([2, 8, 8, 3]), tf.ones([3, 3, 3, 4]), 1, 'same');
      console.log(info.device, tf.sum(y).dataSync()[0]);`;
    // Run under exactly the flags that broke pthread workers before (they inherited execArgv).
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@ltlab/source', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.signal, 'killed by the timeout: the process did not exit').toBeNull();
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toMatch(/2 threads per process 11616$/);
  });

  it('reads LTLAB_WASM_THREADS: unset means no request, a bad value names the variable', () => {
    expect(wasmThreadsFromEnv({})).toBeUndefined();
    expect(wasmThreadsFromEnv({ LTLAB_WASM_THREADS: '4' })).toBe(4);
    expect(() => wasmThreadsFromEnv({ LTLAB_WASM_THREADS: '0' })).toThrow(/LTLAB_WASM_THREADS/);
    expect(() => wasmThreadsFromEnv({ LTLAB_WASM_THREADS: 'two' })).toThrow(/LTLAB_WASM_THREADS/);
  });
});
