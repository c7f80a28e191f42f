import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LtlabError } from '@ltlab/core';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Binding beyond loopback exposes cancel/retry to the network: that needs a token. */
export function checkBinding(host: string, token: string | undefined): void {
  if (!isLoopback(host) && (token === undefined || token.length === 0)) {
    throw new LtlabError('CONFIG.INVALID', `The dashboard would listen on ${host} without a token.`, {
      fix: 'Pass --token (or set LTLAB_TOKEN), or keep the default host 127.0.0.1.',
    });
  }
  if (token !== undefined && token.length > 0 && token.length < 16) {
    throw new LtlabError('CONFIG.INVALID', 'The dashboard token is shorter than 16 characters.', {
      fix: 'Use a long random token, e.g. `openssl rand -hex 24`.',
    });
  }
}

/** The token from `Authorization: Bearer …` or `X-Ltlab-Token`. */
export function presentedToken(request: IncomingMessage): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const header = request.headers['x-ltlab-token'];
  return typeof header === 'string' ? header : undefined;
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * On loopback without a token, a web page on another origin could still reach the server
 * through DNS rebinding; the Host header then names the attacker's domain, so only loopback
 * names are accepted there.
 */
export function hostAllowed(request: IncomingMessage, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  const host = request.headers.host ?? '';
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : (host.split(':')[0] ?? '');
  return isLoopback(name);
}
