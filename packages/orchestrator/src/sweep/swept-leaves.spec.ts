import { describe, expect, it } from 'vitest';
import { sweptLeaves } from './swept-leaves.js';

describe('sweptLeaves', () => {
  it('keeps only the leaves whose values differ, keyed as stored hyperparameters', () => {
    const configs = [
      { method: { loss: 'ce', projection: { dim: 128 } }, optimizer: { lr: 0.1 }, milestones: [6, 7] },
      { method: { loss: 'bs', projection: { dim: 128 } }, optimizer: { lr: 0.1 }, milestones: [6, 8] },
    ];
    // Arrays are one leaf, as the store keeps them whole.
    expect(sweptLeaves(configs, ['method'])).toEqual(['method.loss', 'milestones']);
  });

  it('counts a leaf that some runs lack as swept (variants whose leaves differ)', () => {
    const configs = [
      { method: { loss: 'reslt', options: { beta: 0.99 } } },
      { method: { loss: 'ce', options: {} } },
      { method: { loss: 'ldam', options: { s: 1 } } },
    ];
    expect(sweptLeaves(configs, ['method'])).toEqual(['method.loss', 'method.options.beta', 'method.options.s']);
  });

  it('tells values of different types apart (1 vs "1", null vs absent vs false)', () => {
    expect(sweptLeaves([{ a: 1 }, { a: '1' }], [])).toEqual(['a']);
    expect(sweptLeaves([{ a: null }, { a: false }], [])).toEqual(['a']);
    expect(sweptLeaves([{ a: null }, {}], [])).toEqual(['a']);
    expect(sweptLeaves([{ a: null }, { a: null }], [])).toEqual([]);
  });

  it('orders leaves by the spec path they fall under, then by first appearance', () => {
    const configs = [
      { seed: 1, optimizer: { lr: 0.1 }, method: { loss: 'ce' }, derived: 1 },
      { seed: 2, optimizer: { lr: 0.2 }, method: { loss: 'bs', options: { tau: 1 } }, derived: 2 },
    ];
    expect(sweptLeaves(configs, ['method', 'optimizer.lr', 'seed'])).toEqual([
      'method.loss',
      'method.options.tau',
      'optimizer.lr',
      'seed',
      'derived',
    ]);
  });

  it('finds nothing swept in a single run or identical runs', () => {
    expect(sweptLeaves([{ a: { b: 1 } }], ['a'])).toEqual([]);
    expect(sweptLeaves([{ a: { b: 1 } }, { a: { b: 1 } }], ['a'])).toEqual([]);
    expect(sweptLeaves([], ['a'])).toEqual([]);
  });
});
