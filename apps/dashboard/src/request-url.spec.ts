import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { decodeComponent, parseRequestUrl } from './request-url.js';

function failure(run: () => unknown): LtlabError {
  try {
    run();
  } catch (error) {
    if (error instanceof LtlabError) return error;
    throw error;
  }
  throw new Error('expected a coded error');
}

describe('request targets, decoded strictly', () => {
  it('decodes the path and the query (+ is a space), keeping the raw path for routes', () => {
    const url = parseRequestUrl('/api/runs/a%2Fb?sweep=s%20w&ids=a,b&q=x+y&flag');
    expect(url.rawPath).toBe('/api/runs/a%2Fb');
    expect(url.path).toBe('/api/runs/a/b');
    expect(url.params).toEqual({ sweep: 's w', ids: 'a,b', q: 'x y', flag: '' });
    expect(parseRequestUrl(undefined)).toEqual({ rawPath: '/', path: '/', params: {} });
    expect(parseRequestUrl('/?a=1&a=2').params).toEqual({ a: '2' });
  });

  it('a malformed %-escape in the path is a coded error naming the path', () => {
    const error = failure(() => parseRequestUrl('/api/runs/%E0%A4%A'));
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toMatch(/path has a malformed %-escape/);
    expect(error.fix).toMatch(/encodeURIComponent/);
  });

  it('a malformed %-escape in a query value or name names the parameter', () => {
    expect(failure(() => parseRequestUrl('/api/runs?sweep=%zz')).message).toMatch(/query parameter 'sweep'/);
    expect(failure(() => parseRequestUrl('/api/runs?sweep=%E0%A4%A')).details).toEqual({
      field: "query parameter 'sweep'",
    });
    expect(failure(() => parseRequestUrl('/api/runs?%ff=1')).message).toMatch(/query parameter name/);
  });

  it('keeps __proto__ an ordinary (unknown) key', () => {
    const { params } = parseRequestUrl('/api/runs?__proto__=x');
    expect(Object.keys(params)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });

  it('decodeComponent decodes or fails coded', () => {
    expect(decodeComponent('a%20b', 'run id')).toBe('a b');
    expect(failure(() => decodeComponent('%', 'run id')).message).toMatch(/run id/);
  });
});
