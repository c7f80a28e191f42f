import { LtlabError } from '@ltlab/core';

export interface RequestUrl {
  /** The path as sent, %-escapes kept (routes match on it, then decode their parts). */
  rawPath: string;
  /** The path decoded. */
  path: string;
  /** The query, decoded; a parameter given twice keeps its last value. */
  params: Record<string, string>;
}

function malformed(where: string, value: string): LtlabError {
  return new LtlabError('CONFIG.INVALID', `The ${where} has a malformed %-escape: ${JSON.stringify(value)}.`, {
    fix: 'Percent-encode the URL as UTF-8 (encodeURIComponent), e.g. %20 for a space and %25 for %.',
    details: { field: where },
  });
}

/** decodeURIComponent, failing with a coded error (a 400) instead of a URIError (a 500). */
export function decodeComponent(value: string, where: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw malformed(where, value);
  }
}

/**
 * Splits and decodes a request target strictly: a malformed %-escape in the path or a query
 * parameter (`%E0%A4%A`, `%zz`) is a coded CONFIG.INVALID naming where it is, where
 * URLSearchParams would quietly put U+FFFD in its place.
 */
export function parseRequestUrl(target: string | undefined): RequestUrl {
  let url: URL;
  try {
    url = new URL(target ?? '/', 'http://dashboard.invalid');
  } catch {
    throw new LtlabError('CONFIG.INVALID', `The request target ${JSON.stringify(target)} is not a URL path.`, {
      fix: 'Request a path such as /api/runs.',
      details: { field: 'path' },
    });
  }
  const rawPath = url.pathname;
  const path = decodeComponent(rawPath, 'path');
  const params = new Map<string, string>();
  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawKey = at < 0 ? pair : pair.slice(0, at);
    const key = decodeComponent(rawKey.replaceAll('+', ' '), 'query parameter name');
    const value = at < 0 ? '' : pair.slice(at + 1);
    params.set(key, decodeComponent(value.replaceAll('+', ' '), `query parameter '${key}'`));
  }
  // fromEntries makes every key an own property, `__proto__` included (an unknown key, a 400).
  return { rawPath, path, params: Object.fromEntries(params) };
}
