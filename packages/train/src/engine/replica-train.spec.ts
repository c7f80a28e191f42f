import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '@ltlab/config';
import { parseRunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossesOf } from '../__fixtures__/kill-and-resume.js';
import { tinyPacoConfig, weightsOf } from '../__fixtures__/tiny-run-config.js';
import { trainRun } from './trainer.js';

describe('trainRun with replicas', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'cpu' });
  });

  it('trains PaCo as 2 data-parallel devices to the end, enqueueing every key, and trains differently from one device', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-replicas-'));
    const run = async (name: string, replicas: { count: number } | undefined) => {
      const config = parseRunConfig({ ...tinyPacoConfig(), ...(replicas === undefined ? {} : { replicas }) });
      const events: TrainerEvent[] = [];
      const result = await trainRun({ config, runId: name, runDir: join(root, name), onEvent: (e) => events.push(e) });
      return { result, events, weights: weightsOf(join(root, name)) };
    };
    const before = tf.memory().numTensors;
    const two = await run('two', { count: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(two.events.at(-1)?.type).toBe('finished');
    const [[, loss]] = lossesOf(two.events) as [[number, number, number]];
    expect(Number.isFinite(loss)).toBe(true);
    expect(two.result.final?.top1).toBeGreaterThanOrEqual(0);
    // Two steps of 16 fill the queue of 32: every key of both replicas was enqueued, in batch
    // order, as the one-device run enqueues them (the initial queue labels are random draws).
    const one = await run('one', undefined);
    expect(two.weights['queue/labels']).toEqual(one.weights['queue/labels']);
    // Per-replica BN and loss change training: the same seed and data give other weights.
    expect(two.weights['backbone/fc.weight']).not.toEqual(one.weights['backbone/fc.weight']);
  });
});
