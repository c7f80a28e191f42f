import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '@ltlab/config';
import { parseRunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import { webgpuForTests } from '@ltlab/runtime/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tinyPacoConfig, weightsOf } from '../__fixtures__/tiny-run-config.js';
import { trainRun } from './trainer.js';

/**
 * A whole run on the webgpu backend (train, evaluate, checkpoint), against the same run on cpu:
 * PaCo, so the momentum encoder, queue and SGD buffers run and are saved too. After two steps the
 * checkpoints agree to 1e-3 relative per tensor (float32 on two devices, through batch norm and a
 * softmax). Skipped, with the reason printed, where no Vulkan adapter exists; CI has lavapipe.
 */
const webgpu = await webgpuForTests();

async function runOn(backend: 'cpu' | 'webgpu', root: string): Promise<{ events: TrainerEvent[]; runDir: string }> {
  await initRuntime({ backend, allowSoftwareAdapter: true });
  const config = parseRunConfig(tinyPacoConfig());
  const events: TrainerEvent[] = [];
  const runDir = join(root, backend);
  await trainRun({ config, runId: `webgpu-${backend}`, runDir, onEvent: (e) => events.push(e) });
  return { events, runDir };
}

describe.skipIf(!webgpu.available)('trainRun on the webgpu backend', () => {
  it('trains, evaluates and checkpoints, with weights matching the same run on cpu', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-webgpu-run-'));
    const cpu = await runOn('cpu', root);
    const gpu = await runOn('webgpu', root);
    expect(tf.getBackend()).toBe('webgpu');
    const started = gpu.events.find((e) => e.type === 'started');
    expect(JSON.stringify(started)).toContain('webgpu');
    expect(gpu.events.some((e) => e.type === 'eval')).toBe(true);
    expect(gpu.events.some((e) => e.type === 'checkpoint')).toBe(true);
    const expected = weightsOf(cpu.runDir);
    const actual = weightsOf(gpu.runDir);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, values] of Object.entries(expected)) {
      const got = actual[name] as number[];
      const scale = Math.max(1e-6, ...values.map(Math.abs));
      const diff = Math.max(...values.map((v, i) => Math.abs(v - (got[i] as number))));
      expect(diff / scale, name).toBeLessThan(1e-3);
    }
    await tf.setBackend('cpu');
  });
});
