import { describe, expect, it } from 'vitest';
import { initRuntime } from '../init-runtime.js';
import { listWebgpuAdapterNames, openWebgpuAdapter } from './webgpu-adapter.js';

/**
 * Adapter choice on this machine's Vulkan adapters. CI has exactly Mesa's lavapipe (software);
 * skipped, with the reason printed, where Dawn finds no adapter at all.
 */
const names = await listWebgpuAdapterNames().catch((error: unknown) => {
  console.warn(`webgpu adapter tests skipped: ${error instanceof Error ? error.message : String(error)}`);
  return [] as string[];
});
const softwareOnly = names.length > 0 && names.every((name) => /llvmpipe|lavapipe|swiftshader/i.test(name));

describe.skipIf(!softwareOnly)('webgpu adapter choice (software adapter only, as on CI)', () => {
  it('lists the adapter by name', () => {
    expect(names[0]).toMatch(/llvmpipe|lavapipe|swiftshader/i);
  });

  it('refuses a software adapter unless allowed, saying how to allow it', async () => {
    await expect(openWebgpuAdapter({ allowSoftware: false })).rejects.toThrow(/LTLAB_WEBGPU_ALLOW_SOFTWARE=1/);
    const opened = await openWebgpuAdapter({ allowSoftware: true });
    expect(opened.summary).toMatchObject({ index: 0, software: true, name: names[0] });
    expect(opened.summary.maxBufferBytes).toBeGreaterThan(0);
  });

  it('rejects an adapter index past the list with CONFIG.INVALID listing the adapters', async () => {
    await expect(openWebgpuAdapter({ index: names.length, allowSoftware: true })).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringContaining(names[0] as string),
    });
  });

  it('LTLAB_BACKEND=webgpu without a hardware adapter fails with RUNTIME.BACKEND_UNAVAILABLE and the reason; auto skips it', async () => {
    await expect(initRuntime({ backend: 'webgpu', allowSoftwareAdapter: false })).rejects.toMatchObject({
      code: 'RUNTIME.BACKEND_UNAVAILABLE',
      message: expect.stringContaining('software adapter'),
    });
    const auto = await initRuntime({ backend: 'auto' });
    expect(auto.backend).not.toBe('webgpu');
    expect(auto.reason).toMatch(/webgpu \(/);
  });
});
