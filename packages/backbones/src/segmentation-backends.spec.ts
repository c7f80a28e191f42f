import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initRuntime } from '@ltlab/runtime';
import { webgpuForTests } from '@ltlab/runtime/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEGMENTATION_CASES, segmentationStep } from './__fixtures__/segmentation-step.js';
import { expectSameStep } from './__fixtures__/training-step.js';

/**
 * One training step of the segmentation models and the Region Rebalance branch on every other
 * backend against the cpu backend: the loss, every parameter gradient and the BN running
 * statistics (model and branch) within 1e-4 relative (max |a - cpu| / max |cpu|). Space-to-batch, gathers, segment sums and
 * the pooling matMuls have kernels and gradients on each of them. The native suite is skipped on
 * a dev machine without the oneDNN addon, webgpu where no adapter exists.
 */
const ADDON_FILE = fileURLToPath(new URL('../../runtime/native/build/ltlab_native.node', import.meta.url));
const NO_NATIVE = !existsSync(ADDON_FILE) && !process.env.CI;
const webgpu = await webgpuForTests();

// webgpuForTests has registered webgpu (a software adapter included); the others register here.
const SUITES = [
  { backend: 'wasm', skip: false, register: () => initRuntime({ backend: 'wasm' }) },
  { backend: 'native', skip: NO_NATIVE, register: () => initRuntime({ backend: 'native', nativeThreads: 1 }) },
  { backend: 'webgpu', skip: !webgpu.available, register: async () => ({ backend: 'webgpu' }) },
] as const;

const TOLERANCE = 1e-4;

for (const { backend, skip, register } of SUITES) {
  describe.skipIf(skip)(`segmentation training on the ${backend} backend matches the cpu backend`, () => {
    beforeAll(async () => {
      await initRuntime({ backend: 'cpu' });
      expect((await register()).backend).toBe(backend);
    });

    for (const { label, name, options } of SEGMENTATION_CASES) {
      it(`${label}: loss, gradients and running statistics within ${TOLERANCE}`, async () => {
        const cpu = await segmentationStep('cpu', name, options);
        expectSameStep(await segmentationStep(backend, name, options), cpu, TOLERANCE);
      });
    }
  });
}
