import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatListing, listedEntry } from './registry-listing.js';

const schema = z.strictObject({
  temperature: z.number().positive().default(0.2),
  mode: z.enum(['all', 'one']).default('all'),
  range: z.tuple([z.number(), z.number()]).default([0.08, 1]),
  size: z.number().int().positive(),
  queueSize: z.number().int().min(0).optional(),
});

describe('registry listing', () => {
  it('describes an entry by its name, summary and options, with what the kind adds', () => {
    const entry = listedEntry(
      { name: 'paco', summary: 'PaCo with the class prior.', schema },
      { requires: { logits: true, labels: 'required', classCounts: 'optional', twoViews: false, features: 'none' } },
    );
    expect(entry).toEqual({
      name: 'paco',
      summary: 'PaCo with the class prior.',
      requires: { logits: true, labels: 'required', classCounts: 'optional', twoViews: false, features: 'none' },
      options: [
        { name: 'temperature', type: 'number > 0', required: false, default: 0.2 },
        { name: 'mode', type: "'all' | 'one'", required: false, default: 'all' },
        { name: 'range', type: '[number, number]', required: false, default: [0.08, 1] },
        { name: 'size', type: 'integer > 0', required: true },
        { name: 'queueSize', type: 'integer >= 0', required: false },
      ],
    });
    expect(formatListing([entry])).toBe(
      [
        'paco  PaCo with the class prior.',
        '    temperature: number > 0 = 0.2',
        "    mode: 'all' | 'one' = 'all'",
        '    range: [number, number] = [0.08, 1]',
        '    size: integer > 0 (required)',
        '    queueSize: integer >= 0 (optional)',
        '    requires: logits, labels, classCounts (optional)',
      ].join('\n'),
    );
  });

  it('puts entries of each task under its heading, with their details', () => {
    const none = z.strictObject({});
    const text = formatListing([
      listedEntry(
        { name: 'resnet8', summary: 'CIFAR ResNet-8', schema: none },
        {
          task: 'classification',
          details: { family: 'cifar', featureDim: 64 },
        },
      ),
      listedEntry({ name: 'resnet32', summary: 'CIFAR ResNet-32', schema: none }, { task: 'classification' }),
      listedEntry({ name: 'fcn-resnet18', summary: 'FCN', schema: none }, { task: 'segmentation' }),
    ]);
    expect(text).toBe(
      [
        'classification:',
        '',
        'resnet8  CIFAR ResNet-8',
        '    [family cifar, featureDim 64]',
        '    (no options)',
        '',
        'resnet32  CIFAR ResNet-32',
        '    (no options)',
        '',
        'segmentation:',
        '',
        'fcn-resnet18  FCN',
        '    (no options)',
      ].join('\n'),
    );
  });
});
