import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createBackbone } from '@ltlab/backbones';
import { Rng } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import { softmaxCrossEntropy } from '@ltlab/runtime/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Sgd } from './sgd.js';

/**
 * No leaks on native: 500 SGD steps of a CIFAR ResNet-8 (batches of 16, 8 and 12 in turn, so the
 * primitive cache sees several shapes) keep the tensor count, the process's RSS and the addon's
 * primitive cache flat.
 */
const ADDON_FILE = fileURLToPath(new URL('../../../runtime/native/build/ltlab_native.node', import.meta.url));
// Skipped only on a dev machine without oneDNN; CI must build the addon and run this suite.
const SKIP = !existsSync(ADDON_FILE) && !process.env.CI;

/** The addon behind the `native` backend; its class is not part of @ltlab/runtime's public API. */
interface NativeAddonView {
  info(): { cachedPrimitives: number; cacheCapacityPerFamily: number };
}

const STEPS = 500;
const BATCH_SIZES = [16, 8, 12];
const NUM_CLASSES = 10;
/**
 * Allowed RSS growth from step 100 to 500. Measured on 2 cores: -5.4 to +0.5 MiB over 7 runs.
 * One step's activations (what the gradient tape keeps: 7.9 MB at batch 8, 15.5 MB at 16)
 * leaked every step would add 3 to 6 GB over these 400 steps; 16 MiB is 42 kB a step, less
 * than one 28x28x16 feature map of a single image (50 kB).
 */
const RSS_GROWTH_BOUND = 16 * 2 ** 20;
/**
 * Steps between full garbage collections. V8 otherwise lets its old space grow by tens of MB
 * between collections and keeps the pages: with a collection at steps 100 and 500 only, the
 * growth measured 7 to 39 MiB without any leak.
 */
const GC_EVERY = 25;

/** V8's full collection, without starting the test process with --expose-gc. */
function fullGcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe.skipIf(SKIP)('a long run on the native backend', () => {
  it('keeps tensors, RSS and the primitive cache flat over 500 steps', { timeout: 180_000 }, async () => {
    await initRuntime({ backend: 'native', nativeThreads: 2 });
    const addon = (tf.backend() as unknown as { addon: NativeAddonView }).addon;
    const fullGc = fullGcFunction();
    const tensorsBefore = tf.memory().numTensors;
    const model = createBackbone('resnet8', { numClasses: NUM_CLASSES, inputShape: [28, 28, 1], seed: 0 });
    const params = model.namedParameters();
    const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 5e-4, weightDecayOnNormAndBias: true });
    const rng = new Rng(1);
    const batches = BATCH_SIZES.map((size) => ({
      size,
      images: Float32Array.from({ length: size * 28 * 28 }, () => rng.uniform(-1, 1)),
      labels: Int32Array.from({ length: size }, () => rng.int(0, NUM_CLASSES)),
    }));

    const at = new Map<number, { tensors: number; bytes: number; cached: number; rss: number }>();
    let firstLoss = Number.NaN;
    let lastLoss = Number.NaN;
    for (let step = 1; step <= STEPS; step++) {
      const batch = batches[step % batches.length] as (typeof batches)[number];
      // New input tensors every step, as the trainer makes them, so their disposal is soaked too.
      const x = tf.tensor4d(batch.images, [batch.size, 28, 28, 1]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const { value, grads } = tf.variableGrads(
        () => softmaxCrossEntropy(model.forward(x, { training: true }), labels, NUM_CLASSES),
        params.map(([, v]) => v),
      );
      const byName: Record<string, tf.Tensor> = {};
      for (const [name, v] of params) byName[name] = grads[v.name] as tf.Tensor;
      sgd.step(params, byName, 0.01);
      const loss = (value.dataSync() as Float32Array)[0] as number;
      tf.dispose([x, labels, value, ...Object.values(grads)]);
      if (step === 1) firstLoss = loss;
      lastLoss = loss;
      if (step % GC_EVERY === 0) fullGc();
      if (step === 10 || step === 100 || step === STEPS) {
        const { numTensors, numBytes } = tf.memory();
        at.set(step, {
          tensors: numTensors,
          bytes: numBytes,
          cached: addon.info().cachedPrimitives,
          rss: process.memoryUsage().rss,
        });
      }
    }
    const [s10, s100, s500] = [at.get(10), at.get(100), at.get(STEPS)];
    if (s10 === undefined || s100 === undefined || s500 === undefined) throw new Error('missing samples');

    // It trained (the same three batches, so the loss must fall), and on the addon's kernels.
    expect(Number.isFinite(lastLoss) && lastLoss < firstLoss).toBe(true);
    expect(s10.cached).toBeGreaterThan(0);
    // Tensors: the parameters, BN statistics and momentum buffers only, from step 10 on.
    expect({ tensors: s500.tensors, bytes: s500.bytes }).toEqual({ tensors: s10.tensors, bytes: s10.bytes });
    expect(s500.rss - s100.rss).toBeLessThan(RSS_GROWTH_BOUND);
    // Every shape was built in the first three steps: no entry per call, and within capacity (the
    // count sums the conv, pool and BN caches; this model needs fewer than one family holds).
    expect(s500.cached).toBe(s10.cached);
    expect(s500.cached).toBeLessThanOrEqual(addon.info().cacheCapacityPerFamily);

    sgd.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
