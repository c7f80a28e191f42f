import { describe, expect, it } from 'vitest';
import { closestName, unknownNameHint } from './did-you-mean.js';

describe('closestName', () => {
  const sweepKeys = ['name', 'description', 'base', 'variants', 'grid', 'random', 'replicates', 'priority'];

  it('finds typos: a swap, a letter too many or too few, another letter, another case', () => {
    expect(closestName('grdi', sweepKeys)).toBe('grid');
    expect(closestName('lrr', ['lr', 'momentum', 'nesterov'])).toBe('lr');
    expect(closestName('optimiser', ['optimizer', 'method', 'backbone'])).toBe('optimizer');
    expect(closestName('varients', sweepKeys)).toBe('variants');
    expect(closestName('batchsize', ['batchSize', 'epochs'])).toBe('batchSize');
    expect(closestName('minEpoch', ['rule', 'minEpochs', 'minRuns'])).toBe('minEpochs');
  });

  it('suggests nothing for a name far from every candidate', () => {
    expect(closestName('zzz', sweepKeys)).toBeUndefined();
    expect(closestName('learningRate', ['lr', 'momentum'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });

  it('prefers the nearest candidate, then the first listed', () => {
    expect(closestName('gird', ['girder', 'grid'])).toBe('grid');
    expect(closestName('seeds', ['speeds', 'seed'])).toBe('speeds');
  });
});

describe('unknownNameHint', () => {
  it('names the near candidate, or lists the known ones', () => {
    expect(unknownNameHint('grdi', ['grid', 'base'])).toBe("; did you mean 'grid'?");
    expect(unknownNameHint('zzz', ['grid', 'base'])).toBe('; known: grid, base');
    expect(unknownNameHint('zzz', [])).toBe('');
    const many = Array.from({ length: 14 }, (_, i) => `key${i}long`);
    expect(unknownNameHint('zzz', many)).toMatch(/key11long, \.\.\.$/);
  });
});
