import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initRuntime } from '@ltlab/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKBONE_CASES, expectSameStep, trainStep } from './__fixtures__/training-step.js';

/**
 * One training step of each backbone family on the native (oneDNN) backend against the cpu
 * backend: the loss, every parameter gradient and the updated BN running statistics, to a
 * relative error (max |native - cpu| / max |cpu|) below 1e-4.
 */
const ADDON_FILE = fileURLToPath(new URL('../../runtime/native/build/ltlab_native.node', import.meta.url));
// Skipped only on a dev machine without oneDNN; CI must build the addon and run this suite.
const SKIP = !existsSync(ADDON_FILE) && !process.env.CI;

describe.skipIf(SKIP)('training on the native backend matches the cpu backend', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'cpu' });
    const info = await initRuntime({ backend: 'native', nativeThreads: 1 });
    expect(info.backend).toBe('native');
  });

  for (const { label, make, batch } of BACKBONE_CASES) {
    it(`${label}: loss, every parameter gradient and the running statistics within 1e-4`, async () => {
      const cpu = await trainStep('cpu', make, batch);
      expectSameStep(await trainStep('native', make, batch), cpu);
    });
  }
});
