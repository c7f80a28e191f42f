import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));
const normalize = { name: 'normalize', mean: [0.286], std: [0.353] };
const config = {
  seed: 1,
  data: {
    source: 'fashion-mnist',
    longTail: { imbalanceFactor: 10, imgMax: 30 },
    transforms: { train: [normalize], test: [normalize] },
  },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.05 },
  schedule: { type: 'constant' },
  epochs: 2,
  batchSize: 32,
  evaluation: { maxPerClass: 5, batchSize: 100 },
};

describe('what training prints off a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-train-output-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LTLAB_BACKEND: 'wasm', NO_COLOR: '1', LTLAB_HOME: dir };
  delete env.FORCE_COLOR;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ltlab train: the JSON events on stdout (a pipe), the lines for people on stderr', { timeout: 240_000 }, () => {
    writeFileSync(join(dir, 'run.json'), JSON.stringify(config));
    const result = spawnSync(process.execPath, [BIN, 'train', join(dir, 'run.json'), '--out', join(dir, 'run')], {
      env,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const types = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('finished');
    expect(result.stderr).toMatch(/^epoch 1\/2 {2}loss \d+\.\d{4} {2}lr 0\.05 {2}\d+ img\/s {2}.* {2}ETA \d+:\d\d$/m);
    expect(result.stderr).toMatch(/^ {2}eval test @ epoch 2: top-1 \d+\.\d\d%/m);
    expect(result.stderr).toMatch(/^done in \d+:\d\d: top-1 /m);
    // No bar or colour codes off a terminal.
    expect(result.stderr).not.toContain('\x1b');
  });

  it('train-child --log-runs (what a worker starts): events unchanged on stdout, the start and end on stderr', {
    timeout: 240_000,
  }, () => {
    const job = { runId: 'job-1', attempt: 1, config, runDir: join(dir, 'job-1'), artifactRoot: dir };
    const result = spawnSync(process.execPath, [BIN, 'train-child', '--log-runs'], {
      env,
      input: JSON.stringify(job),
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; runId: string });
    expect(events.every((e) => e.runId === 'job-1')).toBe(true);
    expect(events.at(-1)?.type).toBe('finished');
    expect(result.stderr).toMatch(/^run job-1 started: attempt 1, 2 epochs, wasm\b/m);
    expect(result.stderr).toMatch(/^run job-1 succeeded: top-1 \d+\.\d\d%/m);
  });
});
