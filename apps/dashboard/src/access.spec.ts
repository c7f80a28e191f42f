import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  checkBinding,
  credentialOf,
  hostAllowed,
  sameOrigin,
  servedOverTls,
  sessionCookie,
  sessionCookieName,
  sessionValue,
} from './access.js';

const TOKEN = 'a-long-test-token-0123456789';

function request(headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { headers, socket: { encrypted } } as unknown as IncomingMessage;
}

describe('binding', () => {
  it('needs a token beyond loopback; a 127.x name is not loopback', () => {
    expect(() => checkBinding('127.0.0.1', undefined)).not.toThrow();
    expect(() => checkBinding('127.3.2.1', undefined)).not.toThrow();
    expect(() => checkBinding('localhost', undefined)).not.toThrow();
    expect(() => checkBinding('::1', undefined)).not.toThrow();
    for (const host of ['0.0.0.0', '127.0.0.1.evil.example', '127.evil', '::'])
      expect(() => checkBinding(host, undefined), host).toThrow(/without a token/);
    expect(() => checkBinding('0.0.0.0', TOKEN)).not.toThrow();
    expect(() => checkBinding('0.0.0.0', 'short')).toThrow(/shorter than 16/);
  });
});

describe('the DNS rebinding guard', () => {
  it('on loopback, accepts loopback Host headers only', () => {
    for (const host of ['127.0.0.1:7420', 'localhost:7420', '[::1]:7420', '127.0.0.2'])
      expect(hostAllowed(request({ host }), '127.0.0.1'), host).toBe(true);
    for (const host of ['127.0.0.1.evil.example', '127.0.0.1.evil.example:7420', 'evil.example', '::1', '', 'a b'])
      expect(hostAllowed(request({ host }), '127.0.0.1'), host).toBe(false);
    expect(hostAllowed(request({}), '127.0.0.1')).toBe(false);
  });

  it('bound beyond loopback (with a token), any Host is let through to the token check', () => {
    expect(hostAllowed(request({ host: 'dashboard.example' }), '0.0.0.0')).toBe(true);
  });
});

describe('credentials', () => {
  const cookieName = sessionCookieName(7420);
  const cookie = `${cookieName}=${sessionValue(TOKEN)}`;

  it('a program sends the token in a header; a browser its session cookie', () => {
    expect(credentialOf(request({ authorization: `Bearer ${TOKEN}` }), TOKEN, cookieName)).toBe('header');
    expect(credentialOf(request({ authorization: `bearer ${TOKEN}` }), TOKEN, cookieName)).toBe('header');
    expect(credentialOf(request({ 'x-ltlab-token': TOKEN }), TOKEN, cookieName)).toBe('header');
    expect(credentialOf(request({ cookie: `other=1; ${cookie}` }), TOKEN, cookieName)).toBe('cookie');
  });

  it("refuses a wrong token, the token itself as a cookie, another port's cookie, nothing", () => {
    expect(credentialOf(request({ authorization: 'Bearer wrong-token-wrong-token' }), TOKEN, cookieName)).toBeNull();
    expect(credentialOf(request({ cookie: `${cookieName}=${TOKEN}` }), TOKEN, cookieName)).toBeNull();
    expect(credentialOf(request({ cookie }), TOKEN, sessionCookieName(7421))).toBeNull();
    expect(
      credentialOf(request({ cookie: `${cookieName}=${sessionValue('another-token-0123456789')}` }), TOKEN, cookieName),
    ).toBeNull();
    expect(credentialOf(request({}), TOKEN, cookieName)).toBeNull();
  });

  it('the cookie is HttpOnly, SameSite=Strict, for every path, Secure over TLS; it does not hold the token', () => {
    const plain = sessionCookie(cookieName, TOKEN, false);
    expect(plain).toBe(`${cookieName}=${sessionValue(TOKEN)}; HttpOnly; SameSite=Strict; Path=/`);
    expect(plain).not.toContain(TOKEN);
    expect(sessionCookie(cookieName, TOKEN, true)).toMatch(/; Secure$/);
    expect(servedOverTls(request({}, true))).toBe(true);
    expect(servedOverTls(request({ 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(servedOverTls(request({ 'x-forwarded-proto': 'http' }))).toBe(false);
  });
});

describe('same origin', () => {
  it('compares the Origin with the Host header, default ports included', () => {
    expect(sameOrigin(request({ host: '127.0.0.1:7420' }))).toBeUndefined();
    expect(sameOrigin(request({ host: '127.0.0.1:7420', origin: 'http://127.0.0.1:7420' }))).toBe(true);
    expect(sameOrigin(request({ host: 'dash.example', origin: 'https://dash.example' }))).toBe(true);
    expect(sameOrigin(request({ host: 'dash.example', origin: 'http://dash.example:80' }))).toBe(true);
    expect(sameOrigin(request({ host: '127.0.0.1:7420', origin: 'http://evil.example' }))).toBe(false);
    expect(sameOrigin(request({ host: '127.0.0.1:7420', origin: 'http://127.0.0.1:7421' }))).toBe(false);
    expect(sameOrigin(request({ host: '127.0.0.1:7420', origin: 'null' }))).toBe(false);
  });
});
