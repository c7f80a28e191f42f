import { describe, expect, it, vi } from 'vitest';
import type { NativeAddon } from './native-addon.js';
import { NativeBackend } from './native-backend.js';

/**
 * The pool of freed outputs is plain JavaScript: these cases run without the addon (the backend
 * only stores it), on every machine.
 */
const NO_ADDON = {} as NativeAddon;

/** An output of `length` floats, freed at once (its array goes to the pool). */
function allocateAndFree(backend: NativeBackend, length: number): Float32Array {
  const { info, values } = backend.output([length]);
  backend.disposeData(info.dataId);
  return values;
}

describe('NativeBackend pool of freed outputs', () => {
  it('reuses a freed array for the next output of the same length', () => {
    const backend = new NativeBackend(NO_ADDON, 1 << 20);
    const first = allocateAndFree(backend, 1000);
    expect(backend.freeBytes).toBe(4000);
    const { info, values } = backend.output([10, 100]);
    expect(values).toBe(first);
    expect(backend.freeBytes).toBe(0);
    backend.disposeData(info.dataId);
    backend.dispose();
  });

  it('stays within its bound by dropping the least recently used lengths first', () => {
    // Room for 10,000 floats.
    const backend = new NativeBackend(NO_ADDON, 40_000);
    const a = allocateAndFree(backend, 3000);
    const b = allocateAndFree(backend, 4000);
    // Using a's length again makes b's the least recently used.
    const again = backend.output([3000]);
    expect(again.values).toBe(a);
    backend.disposeData(again.info.dataId);
    allocateAndFree(backend, 5000);
    expect(backend.freeBytes).toBe(32_000);
    // 3000 + 5000 + 4000 floats would not fit: b went, a stayed.
    expect(backend.output([4000]).values).not.toBe(b);
    expect(backend.output([3000]).values).toBe(a);
    expect(backend.freeBytes).toBeLessThanOrEqual(40_000);
    backend.dispose();
  });

  it('never keeps an array larger than its bound', () => {
    const backend = new NativeBackend(NO_ADDON, 1000);
    allocateAndFree(backend, 1000);
    expect(backend.freeBytes).toBe(0);
    backend.dispose();
  });
});

describe('NativeBackend messages', () => {
  it('does not tell the user to install tfjs-node on its first write', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const backend = new NativeBackend(NO_ADDON, 1 << 20);
      backend.disposeData(backend.write(new Float32Array(4), [4], 'float32'));
      backend.dispose();
      expect(warn.mock.calls.flat().join('\n')).not.toContain('tfjs-node');
    } finally {
      warn.mockRestore();
    }
  });
});
