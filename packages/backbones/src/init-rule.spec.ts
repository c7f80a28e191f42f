import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createBackbone, describeBackbone } from './registry.js';

function stats(values: Float32Array): { mean: number; std: number; maxAbs: number } {
  let sum = 0;
  let sq = 0;
  let maxAbs = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(sq / values.length - mean * mean), maxAbs };
}

describe('weight initialisation', () => {
  it('follows torchvision (fan_out convs, BN 1/0, default linear) and the CIFAR ResNet (fan_in)', async () => {
    await initRuntime({ backend: 'cpu' });
    const imagenet = createBackbone('resnet10', { numClasses: 10, inputShape: [32, 32, 3], seed: 4 });
    const w = await imagenet.exportWeights();
    // layer2.0.conv1: 64 -> 128, 3x3: fan_out = 128 * 9.
    expect(stats(w['layer2.0.conv1.weight']?.values as Float32Array).std).toBeCloseTo(Math.sqrt(2 / (128 * 9)), 3);
    expect(Array.from(w['bn1.weight']?.values ?? []).every((v) => v === 1)).toBe(true);
    expect(Array.from(w['bn1.bias']?.values ?? []).every((v) => v === 0)).toBe(true);
    expect(Array.from(w['bn1.running_var']?.values ?? []).every((v) => v === 1)).toBe(true);
    const fc = stats(w['fc.weight']?.values as Float32Array);
    expect(fc.maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(512));
    expect(fc.std).toBeCloseTo(1 / Math.sqrt(512) / Math.sqrt(3), 3);
    imagenet.dispose();

    const cifar = createBackbone('resnet20', { numClasses: 10, inputShape: [32, 32, 3], seed: 4 });
    const c = await cifar.exportWeights();
    // layer3.1.conv2: 64 -> 64, 3x3: fan_in = 64 * 9.
    expect(stats(c['layer3.1.conv2.weight']?.values as Float32Array).std).toBeCloseTo(Math.sqrt(2 / (64 * 9)), 3);
    expect(stats(c['fc.weight']?.values as Float32Array).std).toBeCloseTo(Math.sqrt(2 / 64), 1);
    cifar.dispose();
    const pytorchFc = describeBackbone('resnet20', {
      numClasses: 10,
      inputShape: [32, 32, 3],
      classifierInit: 'pytorchDefault',
    }).specs.find((spec) => spec.name === 'fc.weight');
    expect(pytorchFc?.init).toEqual({ kind: 'uniform', bound: 1 / 8 });
  });

  it('gives the same weights for the same seed on every backend, and other weights for another seed', async () => {
    await initRuntime({ backend: 'cpu' });
    const onCpu = createBackbone('resnet8', { numClasses: 3, inputShape: [8, 8, 1], seed: 'run-1' });
    const cpuWeights = await onCpu.exportWeights();
    onCpu.dispose();
    await initRuntime({ backend: 'wasm' });
    const onWasm = createBackbone('resnet8', { numClasses: 3, inputShape: [8, 8, 1], seed: 'run-1' });
    const other = createBackbone('resnet8', { numClasses: 3, inputShape: [8, 8, 1], seed: 'run-2' });
    const wasmWeights = await onWasm.exportWeights();
    const otherWeights = await other.exportWeights();
    for (const [name, entry] of Object.entries(cpuWeights)) {
      expect(Array.from(wasmWeights[name]?.values ?? [])).toEqual(Array.from(entry.values));
    }
    expect(Array.from(otherWeights['conv1.weight']?.values ?? [])).not.toEqual(
      Array.from(cpuWeights['conv1.weight']?.values ?? []),
    );
    onWasm.dispose();
    other.dispose();
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects weights of another architecture (CONFIG.INVALID) and damaged ones (CHECKPOINT.CORRUPT)', async () => {
    await initRuntime({ backend: 'cpu' });
    const ten = createBackbone('resnet8', { numClasses: 10, inputShape: [8, 8, 3] });
    const five = createBackbone('resnet8', { numClasses: 5, inputShape: [8, 8, 3] });
    const weights = await ten.exportWeights();
    expect(() => five.loadWeights(weights)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    const { 'fc.bias': _dropped, ...missing } = weights;
    expect(() => ten.loadWeights(missing)).toThrow(/missing fc\.bias/);
    const damaged = { ...weights, 'fc.bias': { shape: [10], dtype: 'float32' as const, values: new Float32Array(3) } };
    expect(() => ten.loadWeights(damaged)).toThrow(expect.objectContaining({ code: 'CHECKPOINT.CORRUPT' }));
    ten.dispose();
    five.dispose();
  });
});
