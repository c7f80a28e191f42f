import { describe, expect, it } from 'vitest';
import { VaryingKeys } from './varying-keys.js';

describe('VaryingKeys', () => {
  it('finds keys whose value differs, a missing value included', () => {
    const tracker = new VaryingKeys(['method.loss', 'method.options.s', 'optimizer.lr', 'seed']);
    tracker.add({ 'method.loss': 'ce', 'method.options.s': null, 'optimizer.lr': 0.1, seed: 1 });
    tracker.add({ 'method.loss': 'ce', 'optimizer.lr': 0.1, seed: 2 });
    expect(tracker.varying).toEqual(['seed']);
    tracker.add({ 'method.loss': 'ldam', 'method.options.s': 1, 'optimizer.lr': 0.1, seed: 1 });
    expect(tracker.varying).toEqual(['method.loss', 'method.options.s', 'seed']);
    expect(tracker.undecided).toEqual(['optimizer.lr']);
  });

  it('tells a number from its text', () => {
    const tracker = new VaryingKeys(['k']);
    tracker.add({ k: 1 });
    tracker.add({ k: '1' });
    expect(tracker.varying).toEqual(['k']);
  });

  it('one run varies in nothing', () => {
    const tracker = new VaryingKeys(['a']);
    tracker.add({ a: 1 });
    expect(tracker.varying).toEqual([]);
  });
});
