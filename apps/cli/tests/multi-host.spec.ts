import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore, type RunDetail } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, freePort, killGroup, must, serveUrl, sh, start, tinyRunConfig, waitFor } from './helpers/processes.js';

/**
 * Two GPU-node "hosts" as Linux network namespaces, each with its own artifact directory and a
 * veth pair to the root namespace, which plays the control host (Redis and `ltlab serve` with its
 * artifact service, on the veth address). docs/deploy.md "Artifacts across hosts" describes the
 * set-up this checks.
 */
const REDIS_SERVER = process.env.LTLAB_TEST_REDIS_SERVER ?? '/usr/bin/redis-server';
const TOKEN = 'multi-host-test-token-0123456789';
const EPOCHS = 4;
const id = String(process.pid % 10_000);
const k = process.pid % 250;
const hosts = {
  a: { ns: `ltlab-a-${id}`, root: `lt${id}a0`, peer: `lt${id}a1`, gateway: `10.231.${k}.1`, address: `10.231.${k}.2` },
  b: { ns: `ltlab-b-${id}`, root: `lt${id}b0`, peer: `lt${id}b1`, gateway: `10.232.${k}.1`, address: `10.232.${k}.2` },
};
/** The control host's address, as both hosts reach it (host B through its default route). */
const CONTROL = hosts.a.gateway;

/** A tiny Fashion-MNIST-LT run, a checkpoint every epoch: deterministic on the cpu backend. */
const base = tinyRunConfig(EPOCHS);

/** Why namespaces cannot be made here (null when they can): the test needs root and iproute2. */
function namespacesUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (ip netns needs CAP_SYS_ADMIN)';
  if (!existsSync(REDIS_SERVER)) return `no redis-server at ${REDIS_SERVER}`;
  const probe = `ltlab-probe-${id}`;
  const made = sh('ip', ['netns', 'add', probe]);
  if (!made.ok) return `ip netns add failed: ${made.output}`;
  sh('ip', ['netns', 'del', probe]);
  return null;
}

function makeHost(host: (typeof hosts)['a']): void {
  must('ip', 'netns', 'add', host.ns);
  must('ip', 'link', 'add', host.root, 'type', 'veth', 'peer', 'name', host.peer);
  must('ip', 'link', 'set', host.peer, 'netns', host.ns);
  must('ip', 'addr', 'add', `${host.gateway}/24`, 'dev', host.root);
  must('ip', 'link', 'set', host.root, 'up');
  const inside = (...args: string[]) => must('ip', 'netns', 'exec', host.ns, 'ip', ...args);
  inside('link', 'set', 'lo', 'up');
  inside('addr', 'add', `${host.address}/24`, 'dev', host.peer);
  inside('link', 'set', host.peer, 'up');
  inside('route', 'add', 'default', 'via', host.gateway);
}

function removeHost(host: (typeof hosts)['a']): void {
  sh('ip', ['link', 'del', host.root]);
  sh('ip', ['netns', 'del', host.ns]);
}

const unavailable = namespacesUnavailable();
const evaluationsOf = (detail: RunDetail | null) =>
  (detail?.evaluations ?? []).map(({ runId: _runId, ...evaluation }) => evaluation);

describe.skipIf(unavailable !== null)('a run that moves between hosts (network namespaces)', () => {
  let redis: ChildProcess;
  let redisPort = 0;
  let redisDir = '';

  beforeAll(async () => {
    removeHost(hosts.a);
    removeHost(hosts.b);
    makeHost(hosts.a);
    makeHost(hosts.b);
    redisPort = await freePort();
    redisDir = mkdtempSync(join(tmpdir(), 'ltlab-multihost-redis-'));
    redis = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(redisPort),
        '--bind',
        '127.0.0.1',
        CONTROL,
        '--protected-mode',
        'no',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--maxmemory-policy',
        'noeviction',
        '--dir',
        redisDir,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => {
        try {
          const client = await connectRedis({ redisUrl: `redis://127.0.0.1:${redisPort}`, prefix: 'probe' });
          client.disconnect();
          return true;
        } catch {
          return null;
        }
      },
      10_000,
      'the test redis-server',
    );
  });

  afterAll(() => {
    redis?.kill('SIGKILL');
    removeHost(hosts.a);
    removeHost(hosts.b);
    if (redisDir !== '') rmSync(redisDir, { recursive: true, force: true });
  });

  // On PostgreSQL only, the database of a deployment with several hosts (docs/deploy.md): the
  // workers never open it, and the store's specs run every query on both databases. SQLite has
  // its end-to-end run in sweep-e2e.spec.ts.
  describe.each(['postgresql'] as const)('on %s', (provider) => {
    const children: ChildProcess[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const child of children) killGroup(child);
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it("resumes on host B from host A's uploaded checkpoint and finishes once, as an uninterrupted run", {
      timeout: 900_000,
    }, async () => {
      const dir = mkdtempSync(join(tmpdir(), `ltlab-multihost-${provider}-`));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const { target, drop } = await createTemporaryDatabase(provider, { label: 'multihost', migrate: true });
      cleanups.push(drop);
      const prefix = `ltlab-multihost-${provider}-${process.pid}-${Date.now()}`;
      const controlArtifacts = join(dir, 'control-artifacts');
      const control = {
        ...process.env,
        DATABASE_URL: target.url,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        LTLAB_HOME: join(dir, 'control'),
        LTLAB_ARTIFACTS: controlArtifacts,
        LTLAB_QUEUE_PREFIX: prefix,
        LTLAB_TOKEN: TOKEN,
      };
      const serve = start(
        process.execPath,
        [BIN, 'serve', '--host', CONTROL, '--port', '0', '--stale-after', '6'],
        control,
      );
      children.push(serve.child);
      const url = await waitFor(
        () => serveUrl(serve.lines),
        120_000,
        `ltlab serve to listen (${serve.lines.join(' | ')})`,
      );

      const worker = (host: (typeof hosts)['a'], name: string) => {
        // Workers get Redis and the control host's URL only: no database, no shared directory.
        const { DATABASE_URL: _database, ...inherited } = process.env;
        const env = {
          ...inherited,
          REDIS_URL: `redis://${CONTROL}:${redisPort}`,
          LTLAB_ARTIFACT_URL: url,
          LTLAB_TOKEN: TOKEN,
          LTLAB_HOME: join(dir, name),
          LTLAB_ARTIFACTS: join(dir, name, 'artifacts'),
          LTLAB_QUEUE_PREFIX: prefix,
          LTLAB_BACKEND: 'cpu',
          LTLAB_LOCK_DURATION_MS: '3000',
          LTLAB_HEARTBEAT_MS: '1000',
        };
        const started = start('ip', ['netns', 'exec', host.ns, process.execPath, BIN, 'worker', '--slots', '1'], env);
        children.push(started.child);
        return { ...started, artifacts: env.LTLAB_ARTIFACTS };
      };
      const submit = (name: string) => {
        writeFileSync(join(dir, `${name}.yaml`), `name: ${name}\nbase: base.json\n`);
        const submitted = spawnSync(process.execPath, [BIN, 'sweep', 'submit', join(dir, `${name}.yaml`), '--json'], {
          env: control,
          encoding: 'utf8',
        });
        expect(submitted.status, submitted.stderr).toBe(0);
        return JSON.parse(submitted.stdout) as { sweepId: string };
      };
      writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
      const store: PrismaRunStore = await openRunStore({ target, migrate: false });
      cleanups.push(() => store.close());
      cleanups.push(async () => {
        const client = await connectRedis({ redisUrl: control.REDIS_URL, prefix });
        const keys = await client.keys(`${prefix}:*`);
        if (keys.length > 0) await client.del(...keys);
        client.disconnect();
      });

      const { sweepId } = submit('multihost');
      const [run] = (await store.listRuns({ sweepId })).runs;
      if (run === undefined) throw new Error('the sweep has no run');
      const a = worker(hosts.a, 'host-a');

      // Host A dies (worker and trainer) once its first checkpoint reached the control host.
      const uploaded = join(controlArtifacts, run.id, 'checkpoints', 'epoch-00001.ckpt');
      await waitFor(
        () => (existsSync(uploaded) ? true : null),
        600_000,
        `host A's first upload (${a.lines.slice(-5).join(' | ')})`,
      );
      killGroup(a.child);
      const b = worker(hosts.b, 'host-b');

      const finished = await waitFor(
        async () => {
          const detail = await store.getRunDetail(run.id);
          return detail?.run.status === 'succeeded' ? detail : null;
        },
        600_000,
        `the run to succeed on host B (${b.lines.slice(-5).join(' | ')})`,
      );
      // Host B resumed from A's checkpoint, fetched through the artifact service, not from epoch 1.
      expect(finished.run.attempt).toBeGreaterThanOrEqual(2);
      const resumedEpoch = Number(/epoch-(\d{5})\.ckpt$/.exec(finished.resumedFrom ?? '')?.[1] ?? 0);
      expect(resumedEpoch, `resumedFrom ${finished.resumedFrom}`).toBeGreaterThanOrEqual(1);
      // Host B's log names the file it fetched: the one the trainer resumed from (keepLast may have pruned it since).
      const fetched = new RegExp(
        `run ${run.id}: fetched checkpoints/epoch-${String(resumedEpoch).padStart(5, '0')}\\.ckpt .*sha256 verified`,
      );
      expect(
        b.lines.some((line) => fetched.test(line)),
        b.lines.join('\n'),
      ).toBe(true);
      expect(existsSync(join(a.artifacts, run.id, 'checkpoints', 'epoch-00001.ckpt'))).toBe(true);
      // Finished once: every epoch evaluated exactly once, and its last checkpoint stored before "finished".
      expect(finished.evaluations.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
      expect(
        existsSync(join(controlArtifacts, run.id, 'checkpoints', `epoch-${String(EPOCHS).padStart(5, '0')}.ckpt`)),
      ).toBe(true);
      expect(await store.countRunsByStatus(sweepId)).toMatchObject({ succeeded: 1, running: 0, queued: 0, failed: 0 });

      // The same config, uninterrupted, on host B: the same metrics, epoch by epoch.
      const straight = submit('straight');
      const [straightRun] = (await store.listRuns({ sweepId: straight.sweepId })).runs;
      if (straightRun === undefined) throw new Error('the straight sweep has no run');
      const reference = await waitFor(
        async () => {
          const detail = await store.getRunDetail(straightRun.id);
          return detail?.run.status === 'succeeded' ? detail : null;
        },
        600_000,
        `the uninterrupted run (${b.lines.slice(-5).join(' | ')})`,
      );
      expect(reference.run.attempt).toBe(1);
      expect(reference.resumedFrom).toBeNull();
      expect(evaluationsOf(finished)).toEqual(evaluationsOf(reference));
    });
  });
});

if (unavailable !== null) {
  describe('a run that moves between hosts (network namespaces)', () => {
    it.skip(`skipped: network namespaces cannot be made here (${unavailable}); CI runs it as root`, () => undefined);
  });
}
