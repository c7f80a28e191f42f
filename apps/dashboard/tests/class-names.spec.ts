import { describe, expect, it } from 'vitest';
import { classLabels, classNamesOf, sharedClassLabels } from '../ui/src/class-names.js';

const fmnist = { data: { source: 'fashion-mnist' } };

describe('class names by data source', () => {
  it("names Fashion-MNIST's ten classes in label order", () => {
    expect(classNamesOf(fmnist, 10)).toEqual([
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ]);
    expect(classLabels({ data: { source: 'cifar10' } }, 10)[0]).toBe('airplane');
  });

  it('gives indices where the names are unknown or would be wrong', () => {
    expect(classLabels({ data: { source: 'cifar100' } }, 3)).toEqual(['0', '1', '2']);
    expect(classLabels({ dataset: { name: 'fmnist-lt' } }, 2)).toEqual(['0', '1']);
    // Relabelled by frequency: index 0 is the rarest class, not T-shirt/top.
    expect(classNamesOf({ data: { source: 'fashion-mnist', relabelByFrequency: true } }, 10)).toBeNull();
    // A run that evaluated another number of classes is not Fashion-MNIST as we know it.
    expect(classNamesOf(fmnist, 9)).toBeNull();
    expect(classNamesOf(null, 10)).toBeNull();
  });

  it("names the segmentation benchmark's eleven classes from data.source.name, background first", () => {
    const seg = { task: 'segmentation', data: { source: { name: 'fashion-mnist-seg-lt', seed: 0 } } };
    const names = classNamesOf(seg, 11);
    expect(names?.length).toBe(11);
    expect([names?.[0], names?.[1], names?.[10]]).toEqual(['background', 'T-shirt/top', 'Ankle boot']);
    expect(classLabels({ data: { source: { name: 'ade20k', root: '/data' } } }, 2)).toEqual(['0', '1']);
    expect(classNamesOf({ data: { source: { root: '/data' } } }, 11)).toBeNull();
  });

  it('shares names between runs only when they all agree', () => {
    expect(sharedClassLabels([fmnist, fmnist], 10)[9]).toBe('Ankle boot');
    expect(sharedClassLabels([fmnist, { data: { source: 'mnist' } }], 10)[9]).toBe('9');
    expect(sharedClassLabels([], 2)).toEqual(['0', '1']);
  });
});
