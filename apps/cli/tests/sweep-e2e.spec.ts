import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectRedis, Recorder } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));

const normalize = { name: 'normalize', mean: [0.286], std: [0.353] };
const base = {
  data: {
    source: 'fashion-mnist',
    longTail: { imbalanceFactor: 10, imgMax: 60 },
    transforms: {
      train: [{ name: 'randomCrop', size: 28, padding: 3 }, { name: 'horizontalFlip' }, normalize],
      test: [normalize],
    },
  },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.05 },
  schedule: { type: 'warmup-cosine', warmupEpochs: 1 },
  epochs: 3,
  batchSize: 32,
  evaluation: { maxPerClass: 10, batchSize: 100 },
};

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

// On SQLite only, the single-box default: the recorder writes through the same store code on
// both databases, and the store's specs run every query on both (packages/store). One database
// keeps this minute-long spec from running twice in CI. multi-host.spec.ts runs on PostgreSQL.
describe.each(['sqlite'] as const)('a sweep over two worker processes on %s', (provider) => {
  const workers: ChildProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('finishes all runs after one worker is SIGKILLed mid-run, resuming it from its checkpoint', {
    timeout: 600_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), `ltlab-e2e-${provider}-`));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { target, drop } = await createTemporaryDatabase(provider, { label: 'e2e', migrate: true });
    cleanups.push(drop);
    const env = {
      ...process.env,
      DATABASE_URL: target.url,
      LTLAB_HOME: dir,
      LTLAB_ARTIFACTS: join(dir, 'artifacts'),
      LTLAB_QUEUE_PREFIX: `ltlab-e2e-${provider}-${process.pid}-${Date.now()}`,
      LTLAB_BACKEND: 'wasm',
      LTLAB_LOCK_DURATION_MS: '3000',
      LTLAB_HEARTBEAT_MS: '1000',
    };
    const settings = { redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.LTLAB_QUEUE_PREFIX };
    cleanups.push(async () => {
      const redis = await connectRedis(settings);
      const keys = await redis.keys(`${settings.prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
    writeFileSync(
      join(dir, 'sweep.yaml'),
      'name: e2e\nbase: base.json\ngrid:\n  optimizer.lr: [0.05, 0.1, 0.02]\nreplicates: 2\n',
    );

    const submitted = spawnSync(process.execPath, [BIN, 'sweep', 'submit', join(dir, 'sweep.yaml'), '--json'], {
      env,
      encoding: 'utf8',
    });
    expect(submitted.stderr).toBe('');
    expect(submitted.status).toBe(0);
    const { sweepId, runs } = JSON.parse(submitted.stdout) as { sweepId: string; runs: number };
    expect(runs).toBe(6);

    const store: PrismaRunStore = await openRunStore({ target, migrate: false });
    cleanups.push(() => store.close());
    const recorder = Recorder.start({ settings, store });
    cleanups.push(() => recorder.close());
    for (let i = 0; i < 2; i++) {
      const worker = spawn(process.execPath, [BIN, 'worker', '--slots', '1'], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      worker.stderr?.resume();
      workers.push(worker);
    }

    // Kill the worker of the first run that has written a checkpoint while still running.
    let victim = '';
    await waitFor(
      async () => {
        for (const run of (await store.listRuns({ sweepId, status: ['running'] })).runs) {
          const detail = await store.getRunDetail(run.id);
          if ((detail?.artifacts.length ?? 0) === 0) continue;
          const owner = (await store.listWorkers()).find((w) => w.currentRunId === run.id);
          if (owner?.pid === undefined) continue;
          process.kill(owner.pid, 'SIGKILL');
          victim = run.id;
          return true;
        }
        return false;
      },
      180_000,
      'a running run with a checkpoint',
    );

    await waitFor(
      async () => (await store.countRunsByStatus(sweepId)).succeeded === 6,
      300_000,
      'all six runs to succeed',
    );
    const counts = await store.countRunsByStatus(sweepId);
    expect(counts).toMatchObject({ succeeded: 6, running: 0, queued: 0, failed: 0 });

    const killed = await store.getRunDetail(victim);
    expect(killed?.run.attempt).toBeGreaterThanOrEqual(2);
    const resumedAt = killed?.metrics.filter((m) => m.name === 'resumed_at_epoch') ?? [];
    expect(resumedAt.length).toBeGreaterThanOrEqual(1);
    expect(resumedAt[0]?.value).toBeGreaterThanOrEqual(1);
    for (const run of (await store.listRuns({ sweepId })).runs) {
      const detail = await store.getRunDetail(run.id);
      const losses = detail?.metrics.filter((m) => m.name === 'loss' && m.split === 'train') ?? [];
      // Epochs count from 1, the resumed run's included.
      expect(losses.map((m) => m.epoch)).toEqual([1, 2, 3]);
      expect(detail?.evaluations.map((e) => e.epoch)).toEqual([1, 2, 3]);
      expect(detail?.run.lastEpoch).toBe(3);
    }

    const status = spawnSync(process.execPath, [BIN, 'sweep', 'status', sweepId, '--json'], { env, encoding: 'utf8' });
    expect(status.stderr).toBe('');
    expect(status.status).toBe(0);
    const report = JSON.parse(status.stdout) as { counts: Record<string, number>; best: { objective: number } | null };
    expect(report.counts.succeeded).toBe(6);
    expect(report.best?.objective).toBeGreaterThan(0);
  });
});
