import { describe, expect, it } from 'vitest';
import { isLoopback, parseHostHeader } from './loopback.js';

describe('loopback hosts', () => {
  it('counts localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped) as loopback', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.1.2.3',
      '127.255.255.254',
      '::1',
      '0:0:0:0:0:0:0:1',
    ])
      expect(isLoopback(host), host).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
  });

  it('counts a name as loopback only if it is localhost: 127.x as a name prefix is not an address', () => {
    for (const host of [
      '127.0.0.1.evil.example',
      '127.evil.example',
      '127.0.0.1.',
      '127.1',
      'localhost.evil.example',
      'evil.localhost.example',
      '0.0.0.0',
      '::',
      '::2',
      '10.0.0.1',
      '128.0.0.1',
      '::ffff:10.0.0.1',
      '',
    ])
      expect(isLoopback(host), host).toBe(false);
  });
});

describe('Host header parsing', () => {
  it('splits name and port, with or without brackets for IPv6', () => {
    expect(parseHostHeader('127.0.0.1:7420')).toEqual({ name: '127.0.0.1', port: 7420 });
    expect(parseHostHeader('LocalHost')).toEqual({ name: 'localhost', port: null });
    expect(parseHostHeader('[::1]:7420')).toEqual({ name: '::1', port: 7420 });
    expect(parseHostHeader('[::1]')).toEqual({ name: '::1', port: null });
    expect(parseHostHeader('127.0.0.1.evil.example:80')).toEqual({ name: '127.0.0.1.evil.example', port: 80 });
  });

  it('refuses what is not a Host header: empty, unbracketed IPv6, junk in brackets, bad ports', () => {
    for (const value of [
      undefined,
      '',
      '::1',
      '[::1',
      '::1]:80',
      '[127.0.0.1]:80',
      '[evil.example]',
      'host:',
      'host:port',
      'host:99999',
      'a:1:2',
      '[::1]:80:90',
      'user@host',
    ])
      expect(parseHostHeader(value), String(value)).toBeNull();
  });
});
