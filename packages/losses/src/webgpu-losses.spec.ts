import { webgpuForTests } from '@ltlab/runtime/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_FIXTURES } from './__fixtures__/contract-fixtures.js';
import { boundCases, evaluateGolden, goldenViolations } from './__fixtures__/evaluate-golden.js';
import { getLoss } from './registry.js';

/**
 * Every registered loss's golden cases (produced by the original PyTorch code: loss and every
 * listed gradient, within each case's tolerance) on the webgpu backend. Skipped, with the reason
 * printed, where no Vulkan adapter exists; CI installs Mesa's lavapipe so it runs there.
 */
const webgpu = await webgpuForTests();

describe.skipIf(!webgpu.available)('losses on webgpu match the golden values', () => {
  beforeAll(async () => {
    await tf.setBackend('webgpu');
  });

  for (const [name, fixture] of Object.entries(CONTRACT_FIXTURES)) {
    it.each(boundCases(fixture).map((bound) => [`${bound.file}/${bound.goldenCase.name}`, bound] as const))(
      `${name}: golden %s (loss and gradients)`,
      async (_label, { goldenCase }) => {
        expect(tf.getBackend()).toBe('webgpu');
        const actual = await evaluateGolden(getLoss(name), fixture, goldenCase);
        expect(goldenViolations(actual, goldenCase)).toEqual([]);
      },
    );
  }
});
