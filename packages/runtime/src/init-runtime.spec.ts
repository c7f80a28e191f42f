import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendChoiceFromEnv } from './backend-choice.js';
import { initRuntime } from './init-runtime.js';

describe('initRuntime', () => {
  it('activates the requested backend and reports it', async () => {
    const info = await initRuntime({ backend: 'cpu' });
    expect(info.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const auto = await initRuntime({ backend: 'auto' });
    expect(auto.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('reads LTLAB_BACKEND and rejects unknown values with the allowed list', () => {
    expect(backendChoiceFromEnv({})).toBe('auto');
    expect(backendChoiceFromEnv({ LTLAB_BACKEND: 'cpu' })).toBe('cpu');
    expect(() => backendChoiceFromEnv({ LTLAB_BACKEND: 'gpu' })).toThrow(/LTLAB_BACKEND/);
  });
});
