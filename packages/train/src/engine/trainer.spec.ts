import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '@ltlab/config';
import { parseRunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evalsOf, lossesOf, trainKillAndResume } from '../__fixtures__/kill-and-resume.js';
import { crop, normalize, tinyConfig, weightsOf } from '../__fixtures__/tiny-run-config.js';
import { readCheckpoint } from './checkpoint-file.js';
import { trainRun } from './trainer.js';

describe('trainRun', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
  });

  it('resumes after a kill exactly as if never interrupted', async () => {
    const {
      straight: straightEvents,
      first,
      resumed,
      straightWeights,
      resumedWeights,
    } = await trainKillAndResume(parseRunConfig(tinyConfig()));
    expect(resumedWeights).toEqual(straightWeights);
    expect([...evalsOf(first), ...evalsOf(resumed)]).toEqual(evalsOf(straightEvents));
    expect([...lossesOf(first), ...lossesOf(resumed)]).toEqual(lossesOf(straightEvents));
    const finished = straightEvents.at(-1);
    expect(finished?.type).toBe('finished');
    // 80 ... 8 images per class: no class has over 100, so there is no many-shot score (not a 0).
    if (finished?.type !== 'finished' || finished.metrics === null) throw new Error('no final metrics');
    expect(finished.metrics.many).toBeNull();
    expect(finished.metrics.medium).toEqual(expect.any(Number));
    expect(finished.metrics.few).toEqual(expect.any(Number));
  });

  it('counts epochs from 1, reports what keepLast deletes and keeps best.ckpt chosen on the validation split', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-train-'));
    const data = { ...tinyConfig().data, validation: { perClass: 4 } } as ReturnType<typeof tinyConfig>['data'];
    const config = parseRunConfig(tinyConfig({ data, checkpoint: { everyEpochs: 2, keepLast: 1, keepBest: true } }));
    const events: TrainerEvent[] = [];
    const result = await trainRun({ config, runId: 'val', runDir: join(root, 'val'), onEvent: (e) => events.push(e) });
    expect(events.every((e) => e.epochBase === 1)).toBe(true);
    expect(events[0]).toMatchObject({ type: 'started', epoch: 1, totalEpochs: 3 });
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([1, 2, 3]);
    const evals = events.flatMap((e) => (e.type === 'eval' ? [e] : []));
    expect(evals.map((e) => [e.split, e.epoch])).toEqual([
      ['val', 1],
      ['test', 1],
      ['val', 2],
      ['test', 2],
      ['val', 3],
      ['test', 3],
    ]);
    // 4 images of each class held out: trained on 76 ... 4 (of 80 ... 8); 20 test images per class, 4 validation.
    expect(evals[0]?.trainCounts).toEqual([76, 57, 43, 33, 24, 18, 13, 9, 6, 4]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', epoch: 3 });

    // Epoch files every 2 epochs and at the end (keepLast 1: writing epoch 3's deletes epoch 2's).
    const checkpoints = events.flatMap((e) => (e.type === 'checkpoint' ? [e] : []));
    expect(checkpoints.filter((c) => c.file === 'epoch').map((c) => [c.epoch, c.path, c.pruned])).toEqual([
      [2, 'val/checkpoints/epoch-00002.ckpt', []],
      [3, 'val/checkpoints/epoch-00003.ckpt', ['val/checkpoints/epoch-00002.ckpt']],
    ]);
    // best.ckpt whenever validation top-1 improved, epoch file or not.
    let best = -1;
    const improved: number[] = [];
    for (const e of evals) {
      if (e.split !== 'val' || e.metrics.top1 <= best) continue;
      best = e.metrics.top1;
      improved.push(e.epoch);
    }
    const bests = checkpoints.filter((c) => c.file === 'best');
    expect(bests.map((c) => c.epoch)).toEqual(improved);
    expect(bests.every((c) => c.path === 'val/checkpoints/best.ckpt' && c.best)).toBe(true);
    expect(bests.at(-1)?.selection).toEqual({ metric: 'top1', split: 'val', mode: 'max', value: best });
    expect(result.best).toEqual({ metric: 'top1', split: 'val', mode: 'max', value: best, epoch: bests.at(-1)?.epoch });
    expect(readdirSync(join(root, 'val', 'checkpoints')).sort()).toEqual(['best.ckpt', 'epoch-00003.ckpt']);
    expect(readCheckpoint(join(root, 'val', 'checkpoints', 'best.ckpt')).state).toMatchObject({
      epoch: result.best?.epoch,
      best: result.best,
    });
  });

  it('trains PaCo with two views, a momentum encoder and a queue, then re-trains the classifier', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-train-'));
    const config = parseRunConfig(
      tinyConfig({
        epochs: 1,
        data: {
          source: 'fashion-mnist',
          longTail: { imbalanceFactor: 10, imgMax: 80 },
          transforms: { train: { views: [crop, crop] }, test: [normalize] },
        },
        method: {
          loss: 'paco',
          options: { alpha: 0.05, temperature: 0.2 },
          projection: { dim: 16 },
          momentumEncoder: { queueSize: 64 },
        },
        stages: [
          {
            name: 'crt',
            epochs: 1,
            method: { loss: 'cross-entropy' },
            sampler: { name: 'class-balanced' },
            freezeBackbone: true,
            reinitClassifier: true,
          },
        ],
      }),
    );
    const before = tf.memory().numTensors;
    const events: TrainerEvent[] = [];
    const result = await trainRun({
      config,
      runId: 'paco',
      runDir: join(root, 'paco'),
      onEvent: (e) => events.push(e),
    });
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.stage : ''))).toEqual([
      'main',
      'crt',
    ]);
    expect(result.final?.top1).toBeGreaterThan(0);
    const weights = weightsOf(join(root, 'paco'));
    expect(Object.keys(weights).some((name) => name.startsWith('key/'))).toBe(true);
    expect(weights['queue/labels']).toHaveLength(64);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains ResLT branches and scores with the tau-normalised fused classifier', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-train-'));
    const config = parseRunConfig(
      tinyConfig({
        epochs: 1,
        method: {
          loss: 'reslt',
          options: { beta: 0.99, mediumTailRange: [5, 10], tailRange: [8, 10] },
          tauNorm: { gamma: 0.3 },
        },
      }),
    );
    const events: TrainerEvent[] = [];
    await trainRun({ config, runId: 'reslt', runDir: join(root, 'reslt'), onEvent: (e) => events.push(e) });
    expect(Object.keys(weightsOf(join(root, 'reslt'))).filter((n) => n.startsWith('branches/'))).toContain(
      'branches/BNH.weight',
    );
    expect(events.some((e) => e.type === 'eval')).toBe(true);
  });

  it('stops with TRAIN.NAN_LOSS and the step when the loss diverges', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-train-'));
    const config = parseRunConfig(tinyConfig({ epochs: 1, optimizer: { lr: 1e30 }, schedule: { type: 'constant' } }));
    const events: TrainerEvent[] = [];
    await expect(
      trainRun({ config, runId: 'nan', runDir: join(root, 'nan'), onEvent: (e) => events.push(e) }),
    ).rejects.toMatchObject({
      code: 'TRAIN.NAN_LOSS',
    });
    const failed = events.at(-1);
    expect(failed).toMatchObject({ type: 'failed', error: { code: 'TRAIN.NAN_LOSS', retryable: false } });
  });

  it('rejects a loss that needs a segmentation model before training', async () => {
    const config = parseRunConfig(tinyConfig({ method: { loss: 'region-rebalance' } }));
    await expect(trainRun({ config, runId: 'rr', runDir: join(tmpdir(), 'ltlab-rr') })).rejects.toMatchObject({
      code: 'CONFIG.UNSUPPORTED',
    });
  });
});
