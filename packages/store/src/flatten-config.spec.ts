import { describe, expect, it } from 'vitest';
import { flattenConfig } from './flatten-config.js';

describe('flattenConfig', () => {
  it('turns nested config into dotted, typed rows', () => {
    const rows = flattenConfig({
      method: { loss: 'paco', options: { temperature: 0.2, balanced: false } },
      schedule: { milestones: [160, 180] },
      sampler: null,
    });
    expect(rows).toEqual([
      { key: 'method.loss', valueType: 'string', valueNum: null, valueText: 'paco' },
      { key: 'method.options.temperature', valueType: 'number', valueNum: 0.2, valueText: null },
      { key: 'method.options.balanced', valueType: 'boolean', valueNum: 0, valueText: 'false' },
      { key: 'schedule.milestones', valueType: 'json', valueNum: null, valueText: '[160,180]' },
      { key: 'sampler', valueType: 'null', valueNum: null, valueText: null },
    ]);
  });
});
