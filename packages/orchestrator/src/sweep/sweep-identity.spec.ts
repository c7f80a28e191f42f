import { parseOrThrow } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { sweepIdentityHash } from './sweep-identity.js';
import { sweepSpecSchema } from './sweep-spec.js';

const base = { optimizer: { lr: 0.1 } };
const spec = (raw: Record<string, unknown>) =>
  parseOrThrow(sweepSpecSchema, { name: 'lr', base, grid: { 'optimizer.lr': [0.1, 0.2] }, ...raw }, 'sweep');

describe('sweepIdentityHash', () => {
  const hash = sweepIdentityHash(spec({}), base);

  it('ignores the description, the priority and the run limit', () => {
    expect(sweepIdentityHash(spec({ description: 'second try', priority: 90, maxRuns: 5 }), base)).toBe(hash);
  });

  it('changes with the name, what is varied, the base, the objective and the early stopping', () => {
    expect(sweepIdentityHash(spec({ name: 'lr2' }), base)).not.toBe(hash);
    expect(sweepIdentityHash(spec({ grid: { 'optimizer.lr': [0.1, 0.3] } }), base)).not.toBe(hash);
    expect(sweepIdentityHash(spec({}), { optimizer: { lr: 0.2 } })).not.toBe(hash);
    expect(sweepIdentityHash(spec({ objective: { metric: 'test/few' } }), base)).not.toBe(hash);
    expect(sweepIdentityHash(spec({ earlyStopping: { rule: 'median' } }), base)).not.toBe(hash);
  });
});
