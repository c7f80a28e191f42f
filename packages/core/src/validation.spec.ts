import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LtlabError } from './ltlab-error.js';
import { issuesOf, parseOrThrow } from './validation.js';

describe('unknown keys of strict objects', () => {
  const schema = z.strictObject({
    optimizer: z.strictObject({ lr: z.number(), momentum: z.number().default(0.9) }),
    schedule: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('cosine') }),
      z.strictObject({ type: z.literal('step'), milestones: z.array(z.number()) }),
    ]),
    stages: z.array(z.strictObject({ epochs: z.number() })).default([]),
    options: z.record(z.string(), z.unknown()).default({}),
  });

  function failure(input: unknown): LtlabError {
    try {
      parseOrThrow(schema, input, 'run config');
    } catch (error) {
      return error as LtlabError;
    }
    throw new Error('expected a failure');
  }

  it('names each unknown key at its own path with the nearest known key', () => {
    const error = failure({
      optimiser: { lr: 0.5 },
      optimizer: { lrr: 0.5, lr: 0.1, zzz: 1 },
      schedule: { type: 'step', milestone: [3] },
      stages: [{ epochs: 1 }, { epoch: 2 }],
    });
    expect(error.message).toContain("  - optimiser: unknown key; did you mean 'optimizer'?");
    expect(error.message).toContain("  - optimizer.lrr: unknown key; did you mean 'lr'?");
    expect(error.message).toContain('  - optimizer.zzz: unknown key; known: lr, momentum');
    expect(error.message).toContain("  - schedule.milestone: unknown key; did you mean 'milestones'?");
    expect(error.message).toContain("  - stages[1].epoch: unknown key; did you mean 'epochs'?");
    expect(error.message).toContain('schedule.milestones: Invalid input');
    expect((error.details as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['optimiser', 'optimizer.lrr', 'optimizer.zzz', 'stages[1].epoch']),
    );
  });

  it('leaves open records open', () => {
    expect(
      parseOrThrow(schema, { optimizer: { lr: 1 }, schedule: { type: 'cosine' }, options: { anything: 1 } }, 'x'),
    ).toMatchObject({ options: { anything: 1 } });
  });

  it('issuesOf without known keys still gives each key its path', () => {
    const result = schema.safeParse({ optimizer: { lr: 1, lrr: 2 }, schedule: { type: 'cosine' } });
    expect(result.success).toBe(false);
    if (!result.success) expect(issuesOf(result.error)).toEqual([{ path: 'optimizer.lrr', message: 'unknown key' }]);
  });
});
