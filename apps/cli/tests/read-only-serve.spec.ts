import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));

describe('a store browsed without Redis: sweep list --json and serve --read-only', () => {
  let dir: string;
  let file: string;
  let store: PrismaRunStore;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-read-only-'));
    file = join(dir, 'archive.db');
    // Nothing listens on port 1: reaching for Redis would fail the command.
    env = { ...process.env, LTLAB_HOME: join(dir, 'home'), REDIS_URL: 'redis://127.0.0.1:1', NO_COLOR: '1' };
    delete env.DATABASE_URL;
    store = await openRunStore({ target: { provider: 'sqlite', url: `file:${file}` }, migrate: true });
    await store.saveSweep({
      id: 'lr-1234abcd',
      name: 'lr',
      spec: {},
      specHash: 'h',
      objectiveMetric: 'test/top1',
      objectiveMode: 'max',
      priority: 50,
      maxConcurrency: null,
    });
    const run = (id: string) => ({
      id,
      sweepId: 'lr-1234abcd',
      fingerprint: id,
      config: { epochs: 2 },
      configHash: id,
      label: id,
      ordinal: 0,
      sweptKeys: [],
    });
    await store.addRuns([run('a'), run('b')]);
    const at = new Date(Date.UTC(2026, 0, 1));
    await store.markRunStarted({ runId: 'a', attempt: 1, node: 'n', slot: '0', at });
    await store.markRunFinished({ runId: 'a', attempt: 1, status: 'succeeded', at });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sweep list --json gives counts as numbers and dates as ISO strings', { timeout: 60_000 }, () => {
    const result = spawnSync(process.execPath, [BIN, 'sweep', 'list', '--json'], {
      env: { ...env, DATABASE_URL: `file:${file}` },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const sweeps = JSON.parse(result.stdout) as unknown[];
    expect(sweeps).toEqual([
      {
        id: 'lr-1234abcd',
        name: 'lr',
        status: expect.any(String),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        runs: 2,
        counts: { queued: 1, running: 0, succeeded: 1, failed: 0, stopped: 0, cancelled: 0 },
      },
    ]);
  });

  it('serve --read-only serves the dashboard API over the file, refuses changes and writes nothing', {
    timeout: 60_000,
  }, async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--read-only', '--port', '0', '--database', file], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /dashboard (http:\/\/\S+\/), read-only/.exec(stderr);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    expect(await (await fetch(new URL('/api/health', url))).json()).toMatchObject({ readOnly: true, queue: false });
    const { sweeps } = (await (await fetch(new URL('/api/sweeps', url))).json()) as { sweeps: Array<{ id: string }> };
    expect(sweeps.map((s) => s.id)).toEqual(['lr-1234abcd']);
    const cancel = await fetch(new URL('/api/runs/cancel', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ['b'] }),
    });
    expect(cancel.status).toBe(403);
    expect(((await cancel.json()) as { error: { code: string } }).error.code).toBe('READ_ONLY');
    expect((await store.getRun('b'))?.status).toBe('queued');

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('serve --read-only on a database that is not there exits 3 and creates none', { timeout: 60_000 }, () => {
    const missing = join(dir, 'missing.db');
    const result = spawnSync(process.execPath, [BIN, 'serve', '--read-only', '--port', '0', '--database', missing], {
      env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`There is no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
