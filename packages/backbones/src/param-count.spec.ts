import { describe, expect, it } from 'vitest';
import { describeBackbone } from './registry.js';

/** torchvision's `sum(p.numel() for p in model.parameters())`, and the CIFAR ResNet-32 of PaCo/ResLT. */
const EXPECTED: ReadonlyArray<[name: string, numClasses: number, count: number]> = [
  ['resnet50', 1000, 25_557_032],
  ['resnet101', 1000, 44_549_160],
  ['resnet152', 1000, 60_192_808],
  ['resnext50_32x4d', 1000, 25_028_904],
  ['resnext101_32x4d', 1000, 44_177_704],
  ['resnet200', 1000, 64_673_832],
  ['resnet18', 1000, 11_689_512],
  ['resnet34', 1000, 21_797_672],
  ['resnet32', 10, 464_154],
  ['resnet32', 100, 470_004],
];

describe('parameter counts', () => {
  it.each(EXPECTED)('%s with %i classes has %i parameters', (name, numClasses, count) => {
    const { parameterCount, specs } = describeBackbone(name, { numClasses, inputShape: [224, 224, 3] });
    console.log(`${name} (${numClasses} classes): ${parameterCount.toLocaleString('en-US')} parameters`);
    expect(parameterCount).toBe(count);
    // Buffers (BN running mean and variance) are saved but not counted as parameters.
    const buffers = specs.filter((spec) => spec.role === 'buffer');
    expect(buffers.length).toBeGreaterThan(0);
    expect(buffers.every((spec) => /running_(mean|var)$/.test(spec.name))).toBe(true);
  });

  it('names tensors like torchvision', () => {
    const names = describeBackbone('resnext50_32x4d', { numClasses: 10, inputShape: [32, 32, 3] }).specs.map(
      (s) => s.name,
    );
    expect(names.slice(0, 5)).toEqual([
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
    ]);
    expect(names).toContain('layer1.0.downsample.0.weight');
    expect(names).toContain('layer4.2.bn3.running_var');
    expect(names.slice(-2)).toEqual(['fc.weight', 'fc.bias']);
    const conv2 = describeBackbone('resnext50_32x4d', { numClasses: 10, inputShape: [32, 32, 3] }).specs.find(
      (spec) => spec.name === 'layer1.0.conv2.weight',
    );
    // 128 channels in 32 groups: each output sees 4 inputs.
    expect(conv2?.shape).toEqual([3, 3, 4, 128]);
  });
});
