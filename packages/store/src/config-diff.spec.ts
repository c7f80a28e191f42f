import { describe, expect, it } from 'vitest';
import { configDiff } from './config-diff.js';

describe('configDiff', () => {
  it('keeps only keys whose values differ, with missing keys as undefined', () => {
    const diff = configDiff([
      { method: { loss: 'ce', options: { t: 0.1 } }, seed: 1, milestones: [1, 2] },
      { method: { loss: 'ce', options: { t: 0.2 } }, seed: 1, milestones: [1, 2], amp: true },
      { method: { loss: 'ce', options: { t: 0.1 } }, seed: 1, milestones: [1, 3] },
    ]);
    expect(diff).toEqual([
      { key: 'amp', values: [undefined, true, undefined] },
      { key: 'method.options.t', values: [0.1, 0.2, 0.1] },
      { key: 'milestones', values: ['[1,2]', '[1,2]', '[1,3]'] },
    ]);
  });

  it('tells a null value from a missing key', () => {
    expect(configDiff([{ a: null }, {}])).toEqual([{ key: 'a', values: [null, undefined] }]);
    expect(configDiff([{ a: 1 }, { a: 1 }])).toEqual([]);
  });
});
