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

  it('shares names between runs only when they all agree', () => {
    expect(sharedClassLabels([fmnist, fmnist], 10)[9]).toBe('Ankle boot');
    expect(sharedClassLabels([fmnist, { data: { source: 'mnist' } }], 10)[9]).toBe('9');
    expect(sharedClassLabels([], 2)).toEqual(['0', '1']);
  });
});
