import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from './redis-url.js';

function refusal(url: string): LtlabError {
  try {
    parseRedisUrl(url);
  } catch (error) {
    expect(error).toBeInstanceOf(LtlabError);
    return error as LtlabError;
  }
  throw new Error(`${url} was accepted`);
}

describe('parseRedisUrl', () => {
  it('reads host, port, database, user and password, and shows the URL only redacted', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/3')).toEqual({
      tls: false,
      host: '127.0.0.1',
      port: 6379,
      db: 3,
      display: 'redis://127.0.0.1:6379/3',
    });
    expect(parseRedisUrl('rediss://ops:s3cret@redis.lan:6380')).toEqual({
      tls: true,
      host: 'redis.lan',
      port: 6380,
      db: 0,
      username: 'ops',
      password: 's3cret',
      display: 'rediss://ops:***@redis.lan:6380',
    });
    expect(parseRedisUrl('redis://[::1]/?family=6')).toMatchObject({ host: '::1', port: 6379, db: 0, family: 6 });
  });

  it('decodes a percent-encoded password, and takes the last @ as the end of the user-info', () => {
    expect(parseRedisUrl('redis://:a%2Fb%23c%25d@h:1').password).toBe('a/b#c%d');
    expect(parseRedisUrl('redis://:p@ss@h:1/2')).toMatchObject({ host: 'h', port: 1, db: 2, password: 'p@ss' });
    expect(parseRedisUrl('redis://u:pa:ss@h').password).toBe('pa:ss');
  });

  it.each([
    ['redis://:pa/ss@127.0.0.1:6379', 'pa/ss'],
    ['redis://:pa#ss@127.0.0.1:6379', 'pa#ss'],
    ['redis://:pa?ss@127.0.0.1:6379', 'pa?ss'],
    ['redis://:50%off@127.0.0.1:6379', '50%off'],
  ])('refuses %s, asking to percent-encode the password and never showing it', (url, password) => {
    const error = refusal(url);
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toContain('REDIS_URL');
    expect(error.fix).toContain('%2F');
    expect(error.describe()).not.toContain(password);
  });

  it.each([
    ['http://127.0.0.1:6379', "scheme 'http:'"],
    ['127.0.0.1:6379', 'is host:port, not a URL'],
    ['localhost:6379', 'is host:port, not a URL'],
    ['localhost', 'no scheme'],
    ['redis:/h', 'must start with redis://'],
    ['redis://h:70000', 'port 70000; a port is 1-65535'],
    ['redis://h:0', 'port 0; a port is 1-65535'],
    ['redis://h:abc', "port 'abc', which is not a number"],
    ['redis://h/abc', "path '/abc'"],
    ['redis://h/-1', "path '/-1'"],
    ['redis://h/1.5', "path '/1.5'"],
    ['redis://h?timeout=5', "query parameter 'timeout'"],
    ['redis://h/0#x', '#fragment'],
    ['redis://my host:6379', 'not a valid URL'],
    ['', 'is empty'],
  ])('refuses %s as CONFIG.INVALID naming REDIS_URL (%s)', (url, what) => {
    const error = refusal(url);
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).toContain(what);
    expect(error.fix).toBeTruthy();
  });

  it('keeps the password out of every refusal of a URL that has one', () => {
    for (const url of [
      'http://:hunter2@h',
      'redis://:hunter2@h:99999',
      'redis://:hunter2@h/x',
      'redis://:hunter2@h?a=1',
    ]) {
      expect(refusal(url).describe()).not.toContain('hunter2');
    }
  });
});
