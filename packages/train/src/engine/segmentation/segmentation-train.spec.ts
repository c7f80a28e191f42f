import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainerEvent } from '@ltlab/config';
import { deepMerge, loadConfigFile, parseRunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainKillAndResume } from '../../__fixtures__/kill-and-resume.js';
import {
  fashionMnistFixtureDir,
  tinySegmentationConfig,
  writeAde20kFixture,
} from '../../__fixtures__/segmentation-run-config.js';
import { readCheckpoint } from '../checkpoint-file.js';
import { trainRun } from '../trainer.js';

const configsDir = fileURLToPath(new URL('../../../../../configs/segmentation', import.meta.url));

const evalsOf = (events: TrainerEvent[]) => events.flatMap((e) => (e.type === 'eval' ? [e] : []));

describe('segmentation runs', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
  });

  it('runs 2 iterations of the ADE20K recipe, overridden to a tiny size, on a folder in the ADE20K layout', async () => {
    const root = await writeAde20kFixture();
    const recipe = await loadConfigFile(join(configsDir, 'ade20k/upernet-r50-rr.yaml'));
    const tiny = {
      data: {
        source: { root },
        transforms: {
          train: [
            { name: 'resize', scale: [64, 32], ratioRange: [0.5, 2.0] },
            { name: 'randomCrop', size: 32, catMaxRatio: 0.75 },
            { name: 'randomFlip', prob: 0.5 },
            { name: 'photoMetricDistortion' },
            { name: 'normalize', preset: 'imagenet' },
            { name: 'pad', size: 32 },
          ],
          test: [
            { name: 'resize', scale: [64, 32] },
            { name: 'normalize', preset: 'imagenet' },
          ],
        },
      },
      model: { options: { trunkWidth: 4, channels: 8, auxChannels: 4 } },
      loss: { regionRebalance: { reducedChannels: 4, hiddenChannels: 8 } },
      schedule: { warmupIterations: 1 },
      iterations: 2,
      periodIterations: 1,
      batchSize: 2,
      evaluation: { everyIterations: 2 },
      checkpoint: { everyIterations: 2 },
    };
    const config = parseRunConfig(deepMerge(recipe, tiny), 'the ADE20K recipe, tiny');
    const runDir = join(mkdtempSync(join(tmpdir(), 'ltlab-seg-')), 'ade');
    const events: TrainerEvent[] = [];
    const result = await trainRun({ config, runId: 'ade', runDir, onEvent: (e) => events.push(e) });

    expect(events.map((e) => e.type)).toEqual([
      'started',
      'epoch',
      'epoch',
      'eval',
      'checkpoint',
      'checkpoint',
      'finished',
    ]);
    expect(events[0]).toMatchObject({ type: 'started', totalEpochs: 2, stepsPerEpoch: 1, resumedFrom: null });
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e] : []));
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    // The warm-up's first iteration runs at 6e-5 * 1e-6; the second at the poly rate 6e-5 * (1 - 1/2).
    expect(epochs[0]?.lr).toBeCloseTo(6e-11, 18);
    expect(epochs[1]?.lr).toBeCloseTo(3e-5, 12);
    expect(epochs.every((e) => Number.isFinite(e.trainLoss) && e.trainLoss > 0)).toBe(true);
    const [evaluation] = evalsOf(events);
    const scores = evaluation?.segmentation;
    // 150 classes after reduce-zero-label, scored on the two validation label maps at their own size.
    expect(scores?.numClasses).toBe(150);
    expect(scores?.countedPixels).toBe(40 * 48 + 36 * 44 - 2 * 144);
    expect(scores?.ignoredPixels).toBe(2 * 144);
    expect(scores?.mIoU).toEqual(expect.any(Number));
    expect(evaluation?.metrics.top1).toBe(scores?.pixelAccuracy);
    // Image-level class counts came from the six training label maps and were cached beside the data.
    expect(scores?.imageCounts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(existsSync(join(root, '.ltlab', 'image-class-counts.ade20k-training.json'))).toBe(true);
    // Best by mIoU (the segmentation default), on the test split.
    expect(result.best).toMatchObject({ metric: 'mIoU', split: 'test', mode: 'max', epoch: 2 });
    expect(readdirSync(join(runDir, 'checkpoints')).sort()).toEqual(['best.ckpt', 'epoch-00002.ckpt']);
    const saved = readCheckpoint(join(runDir, 'checkpoints', 'epoch-00002.ckpt'));
    const names = Object.keys(saved.tensors);
    expect(names).toContain('model/decode_head.fpn_bottleneck.conv.weight');
    expect(names).toContain('region/reduce.1.running_var');
    expect(names.some((name) => name.startsWith('adamw/m/model/'))).toBe(true);
    expect(saved.state).toMatchObject({ epoch: 2, step: 2 });
  });

  it('trains the benchmark: the loss goes down and mIoU, per-class and head/body/tail IoU are reported', async () => {
    const dir = fashionMnistFixtureDir();
    const config = parseRunConfig(
      tinySegmentationConfig(dir, {
        loss: {},
        optimizer: { name: 'adamw', lr: 0.1 },
        iterations: 24,
        periodIterations: 6,
        batchSize: 8,
        evaluation: { everyIterations: 12, batchSize: 10 },
        checkpoint: { everyIterations: 24, keepLast: 1, keepBest: false },
      }),
    );
    const events: TrainerEvent[] = [];
    const runDir = join(mkdtempSync(join(tmpdir(), 'ltlab-seg-')), 'benchmark');
    const tensorsBefore = tf.memory().numTensors;
    await trainRun({ config, runId: 'benchmark', runDir, onEvent: (e) => events.push(e) });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const losses = events.flatMap((e) => (e.type === 'epoch' ? [e.trainLoss] : []));
    expect(losses).toHaveLength(4);
    // Pixel CE + 0.4 x auxiliary CE starts at 1.4 ln 11 = 3.36 (logits near 0).
    expect(losses[0] as number).toBeLessThan(3.4);
    expect(losses[3] as number).toBeLessThan(0.5 * (losses[0] as number));
    const evals = evalsOf(events);
    expect(evals.map((e) => [e.epoch, e.step])).toEqual([
      [2, 12],
      [4, 24],
    ]);
    const last = evals[1]?.segmentation;
    expect(last?.numClasses).toBe(11);
    expect(last?.perClassIoU).toHaveLength(11);
    expect(last?.mIoU).toBeGreaterThan(0);
    // Background (in every canvas, most of the pixels) is learnt first.
    expect(last?.perClassIoU[0]).toBeGreaterThan(0.8);
    expect(last?.frequencyGroups.grouping).toEqual({ by: 'rank-terciles' });
    // Background is in all 40 training canvases, the most frequent item in 20: the head of the groups.
    expect(last?.imageCounts.slice(0, 2)).toEqual([40, 20]);
    expect(last?.frequencyGroups.classGroups.slice(0, 2)).toEqual(['head', 'head']);
    expect(last?.confusion).toHaveLength(11);
  });

  it('resumes mid-run (iteration based) with the weights, BN statistics and AdamW state of an uninterrupted run', async () => {
    const dir = fashionMnistFixtureDir();
    const config = parseRunConfig(tinySegmentationConfig(dir, { iterations: 6 }));
    const { first, resumed, straight, straightWeights, resumedWeights } = await trainKillAndResume(config);
    // Killed after period 1 (iterations 1-2); the resumed attempt ran periods 2 and 3 (iterations 3-6).
    expect(first.filter((e) => e.type === 'epoch').map((e) => e.step)).toEqual([2]);
    expect(resumed.filter((e) => e.type === 'epoch').map((e) => e.step)).toEqual([4, 6]);
    expect(Object.keys(straightWeights).some((name) => name.startsWith('adamw/steps/'))).toBe(true);
    expect(resumedWeights).toEqual(straightWeights);
    const lossOf = (events: TrainerEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.trainLoss] : []));
    expect([...lossOf(first), ...lossOf(resumed)]).toEqual(lossOf(straight));
    expect(evalsOf(resumed).map((e) => e.segmentation)).toEqual(
      evalsOf(straight)
        .slice(1)
        .map((e) => e.segmentation),
    );
  });
});
