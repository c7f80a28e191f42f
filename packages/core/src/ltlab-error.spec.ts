import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES, isErrorCode } from './error-codes.js';
import { isLtlabError, LtlabError, toLtlabError } from './ltlab-error.js';
import { formatIssuePath, parseOrThrow } from './validation.js';

describe('LtlabError', () => {
  it('takes the retry default from its code and allows an override', () => {
    expect(new LtlabError('STORE.UNAVAILABLE', 'db down').retryable).toBe(true);
    expect(new LtlabError('CONFIG.INVALID', 'bad').retryable).toBe(false);
    expect(new LtlabError('DATA.CORRUPT', 'flaky read', { retryable: true }).retryable).toBe(true);
  });

  it('keeps its cause and says how to fix it', () => {
    const cause = new Error('ENOENT');
    const error = new LtlabError('DATA.MISSING', 'No Fashion-MNIST files in /x.', {
      fix: 'apt-get install dataset-fashion-mnist',
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error.describe()).toBe(
      '[DATA.MISSING] No Fashion-MNIST files in /x.\nFix: apt-get install dataset-fashion-mnist',
    );
  });

  it('survives a JSON round trip between processes', () => {
    const error = new LtlabError('TRAIN.NAN_LOSS', 'Loss is NaN at step 12.', {
      details: { step: 12 },
      cause: new RangeError('inf'),
    });
    const back = LtlabError.fromJSON(JSON.parse(JSON.stringify(error)));
    expect(back.code).toBe('TRAIN.NAN_LOSS');
    expect(back.message).toBe('Loss is NaN at step 12.');
    expect(back.details).toEqual({ step: 12 });
    expect(back.retryable).toBe(false);
    expect(back.cause).toBe('RangeError: inf');
  });

  it('turns unknown codes and foreign errors into INTERNAL', () => {
    expect(LtlabError.fromJSON({ code: 'NOPE', message: 'x' }).code).toBe('INTERNAL');
    expect(LtlabError.fromJSON(null).code).toBe('INTERNAL');
    const wrapped = toLtlabError(new TypeError('boom'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
    const same = new LtlabError('RUN.CANCELLED', 'stop');
    expect(toLtlabError(same)).toBe(same);
    expect(isLtlabError(same)).toBe(true);
    expect(isLtlabError(new Error('x'))).toBe(false);
  });

  it('uses dotted upper-case codes only', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z]+(\.[A-Z_]+)?$/);
      expect(isErrorCode(code)).toBe(true);
    }
    expect(isErrorCode('toString')).toBe(false);
  });
});

describe('parseOrThrow', () => {
  const schema = z.object({
    optimizer: z.object({ lr: z.number().positive(), momentum: z.number().min(0).max(1) }),
    stages: z.array(z.object({ epochs: z.number().int() })),
  });

  it('lists every bad field with its path', () => {
    const bad = { optimizer: { lr: -1, momentum: 2 }, stages: [{ epochs: 1 }, { epochs: 1.5 }] };
    let caught: unknown;
    try {
      parseOrThrow(schema, bad, 'run config x.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LtlabError);
    const error = caught as LtlabError;
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toContain('Invalid run config x.yaml');
    expect(error.message).toContain('optimizer.lr');
    expect(error.message).toContain('optimizer.momentum');
    expect(error.message).toContain('stages[1].epochs');
    expect(error.details).toMatchObject({ issues: expect.any(Array) });
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(3);
  });

  it('returns the parsed value with defaults applied', () => {
    const withDefault = z.object({ seed: z.number().default(0) });
    expect(parseOrThrow(withDefault, {}, 'x')).toEqual({ seed: 0 });
  });

  it('formats paths', () => {
    expect(formatIssuePath([])).toBe('(root)');
    expect(formatIssuePath(['a', 0, 'b'])).toBe('a[0].b');
  });
});
