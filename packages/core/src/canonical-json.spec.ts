import { describe, expect, it } from 'vitest';
import { canonicalHash, canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } };
    expect(canonicalJson(a)).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalHash(a)).toBe(canonicalHash({ a: { d: [3, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('distinguishes values that differ', () => {
    expect(canonicalHash({ lr: 0.1 })).not.toBe(canonicalHash({ lr: 0.10000001 }));
    expect(canonicalHash({ x: '1' })).not.toBe(canonicalHash({ x: 1 }));
    expect(canonicalJson([1, undefined])).toBe('[1,null]');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('rejects what is not JSON data, naming the path', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(/a\.b is NaN/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/when is a Date instance/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/f is function/);
  });
});
