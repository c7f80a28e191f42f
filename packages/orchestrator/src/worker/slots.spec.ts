import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseSlots, slotEnv, slotName } from './slots.js';

describe('slots', () => {
  it('gives a GPU slot its GPU in PCI order (CUDA) and as the webgpu adapter index, and a CPU slot no GPU and one wasm or native thread', () => {
    const base = { PATH: '/bin', LTLAB_WASM_THREADS: '8', LTLAB_NATIVE_THREADS: '8', CUDA_VISIBLE_DEVICES: '0,1' };
    expect(slotEnv({ kind: 'gpu', index: 1 }, base)).toMatchObject({
      PATH: '/bin',
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      CUDA_VISIBLE_DEVICES: '1',
      LTLAB_WEBGPU_ADAPTER: '1',
    });
    expect(slotEnv({ kind: 'cpu', core: 0 }, base)).toEqual({
      PATH: '/bin',
      CUDA_VISIBLE_DEVICES: '',
      LTLAB_WASM_THREADS: '1',
      LTLAB_NATIVE_THREADS: '1',
    });
  });

  it('makes one CPU slot per requested core, wrapping around the cores there are', () => {
    const cores = availableParallelism();
    const slots = parseSlots({ slots: cores + 1 });
    expect(slots.map(slotName)).toEqual([...Array.from({ length: cores }, (_, i) => `cpu${i}`), 'cpu0']);
    expect(parseSlots({ slots: 'all' })).toHaveLength(cores);
    expect(() => parseSlots({ slots: 0 })).toThrow(/--slots/);
  });
});
