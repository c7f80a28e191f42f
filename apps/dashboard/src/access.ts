import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { LtlabError } from '@ltlab/core';
import { isLoopback, parseHostHeader } from './loopback.js';

/** Binding beyond loopback exposes results and cancel/retry to the network: that needs a token. */
export function checkBinding(host: string, token: string | undefined): void {
  if (!isLoopback(host) && (token === undefined || token.length === 0)) {
    throw new LtlabError('CONFIG.INVALID', `The dashboard would listen on ${host} without a token.`, {
      fix: 'Pass --token (or set LTLAB_TOKEN), or keep the default host 127.0.0.1.',
      details: { option: 'host', value: host },
    });
  }
  if (token !== undefined && token.length > 0 && token.length < 16) {
    throw new LtlabError('CONFIG.INVALID', 'The dashboard token is shorter than 16 characters.', {
      fix: 'Use a long random token, e.g. `openssl rand -hex 24`.',
      details: { option: 'token' },
    });
  }
}

/**
 * On loopback, a web page on another origin could still reach the server through DNS
 * rebinding; the Host header then names the attacker's domain, so only loopback names and
 * addresses are accepted there (a malformed Host header is refused too).
 */
export function hostAllowed(request: IncomingMessage, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  const host = parseHostHeader(request.headers.host);
  return host !== null && isLoopback(host.name);
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session cookie's value: an HMAC of a fixed text keyed by the token, so the cookie proves
 * the token was presented without holding it, and stays valid across restarts with the same token.
 */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('ltlab dashboard session').digest('base64url');
}

/** One cookie per port: two dashboards on one host (different ports) share the browser's cookie jar. */
export function sessionCookieName(port: number): string {
  return `ltlab_session_${port}`;
}

/**
 * The cookie a browser gets for opening the dashboard with `?token=`: out of script reach
 * (HttpOnly), never sent with cross-site requests (SameSite=Strict), Secure over TLS.
 */
export function sessionCookie(name: string, token: string, secure: boolean): string {
  return `${name}=${sessionValue(token)}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

/** Served over TLS: directly, or by a reverse proxy that says so (it can only make the cookie stricter). */
export function servedOverTls(request: IncomingMessage): boolean {
  if ((request.socket as Partial<TLSSocket>).encrypted === true) return true;
  const proto = request.headers['x-forwarded-proto'];
  return typeof proto === 'string' && proto.split(',')[0]?.trim().toLowerCase() === 'https';
}

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The token a program sends: `Authorization: Bearer …` or `X-Ltlab-Token`. */
export function presentedToken(request: IncomingMessage): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^bearer /i.test(auth)) return auth.slice('bearer '.length).trim();
  const header = request.headers['x-ltlab-token'];
  return typeof header === 'string' ? header : undefined;
}

/** How a request proved it knows the token: a header (a program), the session cookie (a browser), or not at all. */
export type Credential = 'header' | 'cookie' | null;

export function credentialOf(request: IncomingMessage, token: string, cookieName: string): Credential {
  if (tokenMatches(token, presentedToken(request))) return 'header';
  if (tokenMatches(sessionValue(token), cookieOf(request, cookieName))) return 'cookie';
  return null;
}

/**
 * Whether a request's Origin names this server (the host of its Host header); undefined when
 * the request has no Origin (programs such as curl send none, browsers send one with every POST).
 */
export function sameOrigin(request: IncomingMessage): boolean | undefined {
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  const host = parseHostHeader(request.headers.host);
  try {
    const from = new URL(origin);
    const fromHost = parseHostHeader(from.host);
    const defaultPort = from.protocol === 'https:' ? 443 : 80;
    return (
      host !== null &&
      fromHost !== null &&
      fromHost.name === host.name &&
      (fromHost.port ?? defaultPort) === (host.port ?? defaultPort)
    );
  } catch {
    return false;
  }
}
