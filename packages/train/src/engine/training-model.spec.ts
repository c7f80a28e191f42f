import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tauNormalizedLogits } from '@ltlab/backbones';
import { classBalancedWeights } from '@ltlab/losses';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TINY_COUNTS, tinyModel, tinyStep } from '../__fixtures__/tiny-model.js';
import { modelPartRegistry } from './parts/part-registry.js';

const paco = { loss: 'paco', projection: { dim: 6 }, momentumEncoder: { queueSize: 8 } };
const reslt = { loss: 'reslt', options: { mediumTailRange: [3, 10], tailRange: [7, 10] }, tauNorm: { gamma: 0.5 } };
const ldamDrw = { loss: 'ldam', drw: { startEpoch: 1, beta: 0.99 } };

describe('TrainingModel', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'cpu' });
  });

  it("builds the registry's parts each run selects, in registry order", () => {
    expect(modelPartRegistry.names()).toEqual([
      'projection-head',
      'branch-heads',
      'momentum-queue',
      'tau-norm',
      'class-weight-schedule',
    ]);
    const cases: Array<[Parameters<typeof tinyModel>[0], string[]]> = [
      [{ loss: 'cross-entropy' }, []],
      [paco, ['projection-head', 'momentum-queue']],
      [{ loss: 'supcon' }, ['projection-head']],
      [reslt, ['branch-heads', 'tau-norm']],
      [ldamDrw, ['class-weight-schedule']],
    ];
    for (const [method, parts] of cases) {
      const model = tinyModel(method);
      expect(model.partNames, method.loss).toEqual(parts);
      model.dispose();
    }
  });

  it('names no method: parts come from the loss requirements and the config', () => {
    const source = readFileSync(fileURLToPath(new URL('./training-model.ts', import.meta.url)), 'utf8');
    expect(source).not.toMatch(/reslt|paco|ldam|drw|supcon|tauNorm|momentum|queue|branch|mlp/i);
  });

  it('stores every part under its checkpoint names and loads them back', async () => {
    const model = tinyModel(paco);
    const weights = await model.exportWeights();
    const prefixes = [...new Set(Object.keys(weights).map((name) => name.split('/')[0]))];
    expect(prefixes).toEqual(['backbone', 'mlp', 'key', 'queue']);
    expect(weights['queue/features']?.shape).toEqual([8, 6]);
    const other = tinyModel(paco, { seed: 9 });
    expect(await other.exportWeights()).not.toEqual(weights);
    other.loadWeights(weights, { queuePointer: 4 });
    expect(await other.exportWeights()).toEqual(weights);
    expect(other.checkpointState()).toEqual({ queuePointer: 4 });
    model.dispose();
    other.dispose();
  });

  it('feeds a queue loss [q; k; queue] rows and labels, and enqueues the keys after the step', () => {
    const model = tinyModel(paco);
    const step = tinyStep(paco, { views: 2 });
    const prepared = model.prepareStep(step);
    const inputs = prepared.lossInputs();
    expect(inputs.features?.shape).toEqual([4 + 4 + 8, 6]);
    expect(inputs.labels?.shape).toEqual([16]);
    expect(inputs.logits?.shape).toEqual([4, 10]);
    expect(Array.from(inputs.classCounts?.dataSync() ?? [])).toEqual(Array.from(TINY_COUNTS));
    expect(model.checkpointState().queuePointer).toBe(0);
    prepared.finish();
    expect(model.checkpointState().queuePointer).toBe(4);
    model.dispose();
  });

  it('gives branch logits to a branch loss and predicts with the tau-normalised, fused branches', () => {
    const model = tinyModel(reslt);
    const inputs = model.prepareStep(tinyStep(reslt)).lossInputs();
    expect(Object.keys(inputs).sort()).toEqual(['labels', 'logitsH', 'logitsM', 'logitsT']);
    const x = tf.randomNormal([3, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const plain = tinyModel({ ...reslt, tauNorm: undefined });
    // Same seed, same weights: only inference differs.
    expect(model.predict(x).arraySync()).not.toEqual(plain.predict(x).arraySync());
    model.dispose();
    plain.dispose();
  });

  it('scores with tau-normalised classifier weights when the method sets tauNorm', () => {
    const model = tinyModel({ loss: 'focal', tauNorm: { gamma: 0.5 } });
    const x = tf.randomNormal([3, 8, 8, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const features = model.backbone.features(x, { training: false });
    const expected = tauNormalizedLogits(features, model.backbone.classifier.weight.value as tf.Tensor2D, 0.5);
    expect(model.predict(x).arraySync()).toEqual(expected.arraySync());
    model.dispose();
  });

  it("gives class-balanced weights from the stage's drw startEpoch on, to a loss that takes them", () => {
    const model = tinyModel(ldamDrw);
    expect(model.prepareStep(tinyStep(ldamDrw, { stageEpoch: 0 })).lossInputs().classWeights).toBeUndefined();
    const weights = model.prepareStep(tinyStep(ldamDrw, { stageEpoch: 1 })).lossInputs().classWeights;
    expect(Array.from(weights?.dataSync() ?? [])).toEqual(
      Array.from(Float32Array.from(classBalancedWeights(Array.from(TINY_COUNTS), 0.99))),
    );
    const noWeights = { loss: 'balanced-softmax', drw: { startEpoch: 0 } };
    const other = tinyModel(noWeights);
    expect(other.prepareStep(tinyStep(noWeights)).lossInputs().classWeights).toBeUndefined();
    model.dispose();
    other.dispose();
  });

  it('rejects a queue loss without method.momentumEncoder and a per-pixel loss', () => {
    expect(() => tinyModel({ loss: 'paco' })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', message: expect.stringContaining('method.momentumEncoder') }),
    );
    expect(() => tinyModel({ loss: 'region-rebalance' })).toThrow(
      expect.objectContaining({ code: 'CONFIG.UNSUPPORTED' }),
    );
  });
});
