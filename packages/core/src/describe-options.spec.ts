import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeOptions } from './describe-options.js';

describe('describeOptions', () => {
  it('gives each option its type, default and whether it is required, in schema order', () => {
    const schema = z.strictObject({
      temperature: z.number().positive().default(0.2),
      beta: z.number().min(0).max(1).default(0.99),
      mode: z.enum(['all', 'one']).default('all'),
      range: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
      mean: z.array(z.number()).optional(),
      seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
      trainable: z.boolean().default(true),
      count: z.number().int().positive(),
    });
    expect(describeOptions(schema)).toEqual([
      { name: 'temperature', type: 'number > 0', required: false, default: 0.2 },
      { name: 'beta', type: 'number in [0, 1]', required: false, default: 0.99 },
      { name: 'mode', type: "'all' | 'one'", required: false, default: 'all' },
      { name: 'range', type: '[integer >= 0, integer >= 0]', required: true },
      { name: 'mean', type: 'number[]', required: false },
      { name: 'seed', type: 'integer >= 0 | string', required: false, default: 0 },
      { name: 'trainable', type: 'boolean', required: false, default: true },
      { name: 'count', type: 'integer > 0', required: true },
    ]);
  });

  it('shows literals, open upper bounds and descriptions', () => {
    const schema = z.object({
      branches: z.union([z.literal(2), z.literal(3)]).default(3),
      hue: z.number().lt(0.5).describe('hue jitter'),
      sizes: z.array(z.union([z.number(), z.string()])).default([]),
    });
    expect(describeOptions(schema)).toEqual([
      { name: 'branches', type: '2 | 3', required: false, default: 3 },
      { name: 'hue', type: 'number < 0.5', required: true, description: 'hue jitter' },
      { name: 'sizes', type: '(number | string)[]', required: false, default: [] },
    ]);
  });

  it('describes no options for a schema that is not an object', () => {
    expect(describeOptions(z.string())).toEqual([]);
    expect(describeOptions(z.strictObject({}))).toEqual([]);
  });
});
