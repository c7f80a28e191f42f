import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyCeConfig } from '../__fixtures__/tiny-run-config.js';
import { epochCheckpointPath, readCheckpoint } from './checkpoint-file.js';
import { trainRun } from './trainer.js';

/** The backbone's tensors of a checkpoint by name (weights and BN statistics), as raw bytes. */
function backboneOf(dir: string, epoch: number): Map<string, Buffer> {
  const { tensors } = readCheckpoint(epochCheckpointPath(dir, epoch));
  return new Map(
    Object.entries(tensors)
      .filter(([name]) => name.startsWith('backbone/'))
      .map(([name, t]) => [name, Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength)]),
  );
}

describe('classifier re-training on a frozen backbone', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'cpu' });
  });

  it('leaves every backbone tensor bit-identical and trains the classifier', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'ltlab-crt-')), 'crt');
    const config = parseRunConfig({
      ...tinyCeConfig(),
      epochs: 1,
      stages: [{ name: 'crt', epochs: 1, freezeBackbone: true, sampler: { name: 'class-balanced' } }],
    });
    await trainRun({ config, runId: 'crt', runDir, onLog: () => {} });
    const before = backboneOf(join(runDir, 'checkpoints'), 1);
    const after = backboneOf(join(runDir, 'checkpoints'), 2);
    expect([...after.keys()]).toEqual([...before.keys()]);
    const classifier = (name: string) => name.startsWith('backbone/fc.');
    const changed = [...before].filter(([name, bytes]) => !bytes.equals(after.get(name) as Buffer)).map(([n]) => n);
    // Weights, biases and BN running statistics of the trunk stay; the classifier moves.
    expect(changed.filter((name) => !classifier(name))).toEqual([]);
    expect(changed.filter(classifier).sort()).toEqual(['backbone/fc.bias', 'backbone/fc.weight']);
    expect([...before.keys()].filter((name) => name.includes('running')).length).toBeGreaterThan(0);
  });
});
