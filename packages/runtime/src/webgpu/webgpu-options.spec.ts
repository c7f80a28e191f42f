import { describe, expect, it } from 'vitest';
import { webgpuAdapterFromEnv, webgpuAllowSoftwareFromEnv } from './webgpu-options.js';

describe('webgpu environment options', () => {
  it('reads the adapter index, undefined when unset', () => {
    expect(webgpuAdapterFromEnv({})).toBeUndefined();
    expect(webgpuAdapterFromEnv({ LTLAB_WEBGPU_ADAPTER: '' })).toBeUndefined();
    expect(webgpuAdapterFromEnv({ LTLAB_WEBGPU_ADAPTER: '3' })).toBe(3);
  });

  it('rejects a bad adapter index with CONFIG.INVALID naming the variable and the fix', () => {
    for (const bad of ['-1', '1.5', 'gpu0']) {
      expect(() => webgpuAdapterFromEnv({ LTLAB_WEBGPU_ADAPTER: bad })).toThrow(
        expect.objectContaining({ code: 'CONFIG.INVALID', message: expect.stringContaining('LTLAB_WEBGPU_ADAPTER') }),
      );
    }
  });

  it('reads the software-adapter switch, off by default, and rejects other values', () => {
    expect(webgpuAllowSoftwareFromEnv({})).toBe(false);
    expect(webgpuAllowSoftwareFromEnv({ LTLAB_WEBGPU_ALLOW_SOFTWARE: '1' })).toBe(true);
    expect(webgpuAllowSoftwareFromEnv({ LTLAB_WEBGPU_ALLOW_SOFTWARE: 'false' })).toBe(false);
    expect(() => webgpuAllowSoftwareFromEnv({ LTLAB_WEBGPU_ALLOW_SOFTWARE: 'yes' })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });
});
