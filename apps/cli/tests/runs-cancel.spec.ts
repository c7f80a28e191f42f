import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));

describe('ltlab runs cancel', () => {
  let dir: string;
  let store: PrismaRunStore;
  let env: NodeJS.ProcessEnv;
  const ltlab = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-runs-cancel-'));
    env = {
      ...process.env,
      LTLAB_HOME: dir,
      DATABASE_URL: `file:${join(dir, 'ltlab.db')}`,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LTLAB_QUEUE_PREFIX: `ltlab-test-${randomUUID()}`,
    };
    store = await openRunStore({ target: { provider: 'sqlite', url: env.DATABASE_URL as string }, migrate: true });
    const run = (id: string) => ({
      id,
      sweepId: null,
      fingerprint: id,
      config: {},
      configHash: id,
      label: `label-${id}`,
      ordinal: 0,
      sweptKeys: [],
    });
    await store.addRuns(['queued-1', 'running-1', 'done-1', 'queued-2', 'stopped-1'].map(run));
    const started = { attempt: 1, node: 'node-a', slot: 'slot-0', at: new Date() };
    await store.markRunStarted({ runId: 'running-1', ...started });
    await store.markRunStarted({ runId: 'done-1', ...started });
    await store.markRunFinished({ runId: 'done-1', attempt: 1, status: 'succeeded', at: new Date() });
    await store.markRunStarted({ runId: 'stopped-1', ...started });
    await store.markRunFinished({
      runId: 'stopped-1',
      attempt: 1,
      status: 'stopped',
      errorCode: 'RUN.EARLY_STOPPED',
      errorMessage: 'median rule at epoch 3',
      at: new Date(),
    });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cancels nothing when one argument names no run', async () => {
    const result = ltlab('runs', 'cancel', 'queued-1', 'no-such-run');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("No run has the id or label 'no-such-run'");
    expect((await store.getRun('queued-1'))?.status).toBe('queued');
  });

  it('cancels queued and running runs by id or label and leaves ended ones as they were', async () => {
    const result = ltlab('runs', 'cancel', 'queued-1', 'label-running-1', 'done-1', 'stopped-1', '--json');
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { cancelled: string[]; unchanged: { id: string; status: string }[] };
    expect(out.cancelled.sort()).toEqual(['queued-1', 'running-1']);
    expect(out.unchanged).toEqual([
      { id: 'done-1', status: 'succeeded' },
      { id: 'stopped-1', status: 'stopped' },
    ]);
    expect(await store.getRun('stopped-1')).toMatchObject({ status: 'stopped', errorCode: 'RUN.EARLY_STOPPED' });
    expect((await store.getRun('queued-1'))?.status).toBe('cancelled');
    expect((await store.getRun('running-1'))?.status).toBe('cancelled');
    expect((await store.getRun('done-1'))?.status).toBe('succeeded');
    expect((await store.getRun('queued-2'))?.status).toBe('queued');
  });

  it('says in words what it did', () => {
    const result = ltlab('runs', 'cancel', 'queued-2', 'done-1');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Cancelled 1 run(s):\n  queued-2');
    expect(result.stdout).toContain('Left 1 run(s) that had already ended:\n  done-1 (succeeded)');
  });
});
