import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '@ltlab/config';
import { parseRunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { forbidSyncReads } from '../__fixtures__/forbid-sync-reads.js';
import { tinyPacoConfig, weightsOf } from '../__fixtures__/tiny-run-config.js';
import { trainRun } from './trainer.js';

/**
 * A backend that cannot read synchronously (webgpu in Node: its readSync needs OffscreenCanvas)
 * trains, evaluates and checkpoints: the engine reads every tensor with `await data()`. PaCo, so
 * that the momentum encoder, the queue and the SGD buffers are read for the checkpoint too.
 */

describe('trainRun on a backend without synchronous reads', () => {
  beforeAll(async () => {
    // cpu: the wasm backend's strided-convolution gradient (runtime) reads its filter with
    // dataSync, which is the backend's own business; a webgpu backend brings its own kernels.
    await initRuntime({ backend: 'cpu' });
  });

  it('trains a few steps, evaluates and writes a checkpoint reading tensors only with data()', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-no-sync-'));
    const config = parseRunConfig(tinyPacoConfig());
    const before = tf.memory().numTensors;
    const events: TrainerEvent[] = [];
    const guard = forbidSyncReads();
    let failure: unknown = null;
    try {
      await trainRun({ config, runId: 'no-sync', runDir: join(root, 'no-sync'), onEvent: (e) => events.push(e) });
    } catch (caught) {
      failure = caught;
    } finally {
      guard.restore();
    }
    // The refused reads first: they name the code that read synchronously.
    expect(guard.refused).toEqual([]);
    expect(failure).toBeNull();
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.step : 0))).toEqual([2]);
    expect(events.some((e) => e.type === 'eval')).toBe(true);
    expect(events.some((e) => e.type === 'checkpoint')).toBe(true);
    const weights = weightsOf(join(root, 'no-sync'));
    for (const prefix of ['backbone/', 'mlp/', 'key/', 'queue/', 'sgd/']) {
      expect(Object.keys(weights).some((name) => name.startsWith(prefix))).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
