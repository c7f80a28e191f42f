import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunConfig, type TrainerEvent } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyCeConfig } from '../__fixtures__/tiny-run-config.js';
import { epochCheckpointPath } from './checkpoint-file.js';
import { evaluateCheckpoint } from './evaluate-checkpoint.js';
import { RUN_CONFIG_FILE, trainRun } from './trainer.js';

describe('evaluateCheckpoint', () => {
  const config = parseRunConfig(tinyCeConfig());
  const runDir = join(mkdtempSync(join(tmpdir(), 'ltlab-eval-')), 'run');
  const events: TrainerEvent[] = [];

  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
    await trainRun({ config, runId: 'run', runDir, onEvent: (e) => events.push(e), onLog: () => {} });
  }, 120_000);

  it('writes the run config beside the checkpoints', () => {
    expect(JSON.parse(readFileSync(join(runDir, RUN_CONFIG_FILE), 'utf8'))).toEqual(config);
  });

  it('scores each epoch checkpoint exactly as the evaluation after that epoch did', async () => {
    const tests = events.flatMap((e) => (e.type === 'eval' && e.split === 'test' ? [e] : []));
    expect(tests.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const reported of [tests[0], tests[2]]) {
      if (reported === undefined) throw new Error('no evaluation');
      const path = epochCheckpointPath(join(runDir, 'checkpoints'), reported.epoch);
      const scored = await evaluateCheckpoint({ config, checkpoint: path, log: () => {} });
      expect(scored.epoch).toBe(reported.epoch);
      expect(scored.event.metrics).toEqual(reported.metrics);
      expect(scored.event.perClassAccuracy).toEqual(reported.perClassAccuracy);
    }
  }, 60_000);

  it('names a damaged checkpoint in a CHECKPOINT.CORRUPT error', async () => {
    const damaged = join(runDir, 'damaged.ckpt');
    writeFileSync(damaged, 'not a checkpoint');
    await expect(evaluateCheckpoint({ config, checkpoint: damaged })).rejects.toMatchObject({
      code: 'CHECKPOINT.CORRUPT',
      message: expect.stringContaining(damaged),
    });
    await expect(evaluateCheckpoint({ config, checkpoint: join(runDir, 'missing.ckpt') })).rejects.toMatchObject({
      code: 'CHECKPOINT.CORRUPT',
      message: expect.stringContaining('missing.ckpt'),
    });
  });
});
