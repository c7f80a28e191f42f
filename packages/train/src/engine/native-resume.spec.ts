import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import { describe, expect, it } from 'vitest';
import { evalsOf, lossesOf, trainKillAndResume } from '../__fixtures__/kill-and-resume.js';
import { tinyConfig } from '../__fixtures__/tiny-run-config.js';

/**
 * Training from a checkpoint on native resumes bit for bit, as on wasm (trainer.spec.ts): the
 * run killed after its first epoch and resumed ends with the very checkpoint, losses and scores
 * of the run that was never interrupted. With 2 threads too: their weights differ from 1
 * thread's (sums in another order), but a fixed thread count gave the same ones on every run.
 */
const ADDON_FILE = fileURLToPath(new URL('../../../runtime/native/build/ltlab_native.node', import.meta.url));
// Skipped only on a dev machine without oneDNN; CI must build the addon and run this suite.
const SKIP = !existsSync(ADDON_FILE) && !process.env.CI;

/** Switches the native backend to `threads` (the addon drops primitives built for another count). */
async function useNativeThreads(threads: number): Promise<void> {
  const info = await initRuntime({ backend: 'native', nativeThreads: threads });
  expect(info.native?.threads).toBe(threads);
}

describe.skipIf(SKIP)('resuming a run on the native backend', () => {
  const straightWeights = new Map<number, Record<string, number[]>>();
  for (const threads of [1, 2]) {
    it(`with ${threads === 1 ? '1 thread' : `${threads} threads`}, ends exactly as if never interrupted`, {
      timeout: 120_000,
    }, async () => {
      await useNativeThreads(threads);
      const {
        straight,
        first,
        resumed,
        straightWeights: weights,
        resumedWeights,
      } = await trainKillAndResume(parseRunConfig(tinyConfig()));
      expect(straight[0]).toMatchObject({ type: 'started', backend: 'native' });
      expect(resumed[0]).toMatchObject({ type: 'started', backend: 'native' });
      // Weights, BN statistics and SGD buffers: exactly equal, not close.
      expect(resumedWeights).toEqual(weights);
      straightWeights.set(threads, weights);
      expect([...evalsOf(first), ...evalsOf(resumed)]).toEqual(evalsOf(straight));
      expect([...lossesOf(first), ...lossesOf(resumed)]).toEqual(lossesOf(straight));
      expect(straight.at(-1)?.type).toBe('finished');
    });
  }

  // Guards the switch above: had the addon kept primitives built for 1 thread, the 2-thread run
  // would have repeated the 1-thread one exactly. Both runs share every input and seed; only the
  // order of oneDNN's sums differs.
  it('the thread count takes effect when it changes: 1 and 2 threads train to different weights', () => {
    const one = straightWeights.get(1);
    const two = straightWeights.get(2);
    if (one === undefined || two === undefined) throw new Error('the resume cases did not run');
    expect(two).not.toEqual(one);
  });
});
