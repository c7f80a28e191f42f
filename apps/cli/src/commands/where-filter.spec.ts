import { LtlabError } from '@ltlab/core';
import { parseColumn } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { parseWhere } from './where-filter.js';

function failure(term: string): LtlabError {
  try {
    parseWhere(term);
  } catch (error) {
    if (error instanceof LtlabError) return error;
    throw error;
  }
  throw new Error(`'${term}' parsed`);
}

describe('parseWhere', () => {
  it('reads hyperparameter terms as hp: columns', () => {
    expect(parseWhere('method.loss=paco')).toEqual({ column: 'hp:method.loss', equals: 'paco' });
    expect(parseWhere('optimizer.lr>=0.05')).toEqual({ column: 'hp:optimizer.lr', min: 0.05 });
    expect(parseWhere('optimizer.lr<=0.1')).toEqual({ column: 'hp:optimizer.lr', max: 0.1 });
    expect(parseWhere('seed=3')).toEqual({ column: 'hp:seed', equals: 3 });
    expect(parseWhere('checkpoint.keepBest=true')).toEqual({ column: 'hp:checkpoint.keepBest', equals: true });
  });

  it('reads SPLIT/METRIC terms as the latest evaluation on that split', () => {
    expect(parseWhere('test/few>=0.5')).toEqual({ column: 'eval:test:few', min: 0.5 });
    expect(parseWhere('test/top1<=0.7')).toEqual({ column: 'eval:test:top1', max: 0.7 });
    expect(parseWhere('val/many = 1')).toEqual({ column: 'eval:val:many', equals: 1 });
    // The store's runs table takes the column as written.
    expect(parseColumn(parseWhere('test/medium>=0.2').column)).toEqual({
      kind: 'eval',
      split: 'test',
      field: 'medium',
    });
  });

  it('names the bad term and the fix', () => {
    const none = failure('method.loss');
    expect(none.code).toBe('CONFIG.INVALID');
    expect(none.message).toContain("--where 'method.loss'");
    expect(none.message).toContain('SPLIT/METRIC>=N');
    expect(failure('optimizer.lr>=fast').message).toMatch(/>= needs a number, got 'fast'/);
    expect(failure('optimizer.lr>=fast').fix).toContain('optimizer.lr=fast');

    const metric = failure('test/loss>=0.5');
    expect(metric.message).toBe("--where 'test/loss>=0.5': 'loss' is not a metric of an evaluation.");
    expect(metric.fix).toBe('Use one of top1, top5, many, medium, few: --where test/few>=0.5');

    const percent = failure('test/few>=50');
    expect(percent.message).toContain('test/few is a fraction from 0 to 1, got 50');
    expect(percent.fix).toBe('For 50% write test/few>=0.5.');

    expect(failure('test/few>=high').message).toContain("test/few needs a number, got 'high'");
    expect(failure('a/b/c>=0.5').message).toContain("'a/b/c' is not SPLIT/METRIC");
    expect(failure('test/few>=').message).toContain("no value after '>='");
    expect(failure('test/few>0.5').message).toContain('expected KEY=VALUE');
  });
});
