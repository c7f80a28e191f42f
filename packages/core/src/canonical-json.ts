import { createHash } from 'node:crypto';
import { LtlabError } from './ltlab-error.js';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped, `-0` as `0`.
 * Two configs that mean the same thing serialise to the same text, so its hash identifies a run.
 * Non-finite numbers, functions, symbols and class instances other than plain objects and arrays
 * are rejected: a config is data.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '(root)');
}

/** The sha256 of the canonical JSON, hex-encoded. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function serialise(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw notData(path, String(value));
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (item === undefined ? 'null' : serialise(item, `${path}[${i}]`))).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw notData(path, `a ${proto?.constructor?.name ?? 'class'} instance`);
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${serialise(member, childPath(path, key))}`).join(',')}}`;
    }
    default:
      throw notData(path, typeof value);
  }
}

function childPath(path: string, key: string): string {
  return path === '(root)' ? key : `${path}.${key}`;
}

function notData(path: string, what: string): LtlabError {
  return new LtlabError('CONFIG.INVALID', `${path} is ${what}; a config holds only JSON data.`, {
    fix: 'Use finite numbers, strings, booleans, null, arrays and plain objects.',
  });
}
