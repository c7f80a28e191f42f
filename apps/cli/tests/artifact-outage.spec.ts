import { type ChildProcess, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis, HttpArtifactStore } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore, type RunDetail } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, freePort, killGroup, serveUrl, start, tinyRunConfig, waitFor } from './helpers/processes.js';

/**
 * The control host's artifact service goes away while a worker trains (docs/deploy.md "Artifacts
 * across hosts"): a real `ltlab serve`, SIGKILLed and restarted on the same port and artifact
 * directory, and a real `ltlab worker` that reaches it through LTLAB_ARTIFACT_URL only.
 */
const TOKEN = 'artifact-outage-test-token-0123456789';
/** Enough epochs that the run is still training when the first upload has landed. */
const EPOCHS = 8;
const FAILED_TRY = /artifacts: (upload|list) \S+ try \d+ of \d+ failed .*next in/;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const epochFile = (epoch: number) => `checkpoints/epoch-${String(epoch).padStart(5, '0')}.ckpt`;

describe('checkpoint uploads while the artifact service is down (real ltlab serve and worker)', () => {
  const children: ChildProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let dir = '';
  let port = 0;
  let store: PrismaRunStore;
  let control: NodeJS.ProcessEnv;
  let controlArtifacts = '';
  let serve: { child: ChildProcess; lines: string[] };
  let url = '';

  const startServe = async () => {
    serve = start(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', String(port)], control);
    children.push(serve.child);
    const lines = serve.lines;
    url = await waitFor(
      () => serveUrl(lines),
      120_000,
      () => `ltlab serve to listen (${lines.join(' | ')})`,
    );
  };
  const stopServe = async () => {
    const child = serve.child;
    killGroup(child);
    await waitFor(() => (child.exitCode !== null || child.signalCode !== null ? true : null), 10_000, 'serve to die');
  };
  const worker = (name: string, extra: NodeJS.ProcessEnv = {}) => {
    // Redis and the control host's URL only: no database, no shared directory.
    const { DATABASE_URL: _database, ...inherited } = process.env;
    const env = {
      ...inherited,
      REDIS_URL: control.REDIS_URL,
      LTLAB_ARTIFACT_URL: url,
      LTLAB_TOKEN: TOKEN,
      LTLAB_HOME: join(dir, name),
      LTLAB_ARTIFACTS: join(dir, name, 'artifacts'),
      LTLAB_QUEUE_PREFIX: control.LTLAB_QUEUE_PREFIX,
      LTLAB_BACKEND: 'cpu',
      LTLAB_LOCK_DURATION_MS: '3000',
      LTLAB_HEARTBEAT_MS: '1000',
      ...extra,
    };
    const started = start(process.execPath, [BIN, 'worker', '--slots', '1'], env);
    children.push(started.child);
    return { ...started, artifacts: env.LTLAB_ARTIFACTS };
  };
  const submit = async (name: string) => {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(tinyRunConfig(EPOCHS)));
    writeFileSync(join(dir, `${name}.yaml`), `name: ${name}\nbase: ${name}.json\n`);
    const submitted = spawnSync(process.execPath, [BIN, 'sweep', 'submit', join(dir, `${name}.yaml`), '--json'], {
      env: control,
      encoding: 'utf8',
    });
    expect(submitted.status, submitted.stderr).toBe(0);
    const { sweepId } = JSON.parse(submitted.stdout) as { sweepId: string };
    const [run] = (await store.listRuns({ sweepId })).runs;
    if (run === undefined) throw new Error(`the sweep ${name} has no run`);
    return { sweepId, runId: run.id };
  };
  const succeeded = (runId: string, lines: () => string[]) =>
    waitFor(
      async () => {
        const detail = await store.getRunDetail(runId);
        return detail?.run.status === 'succeeded' ? detail : null;
      },
      600_000,
      () => `run ${runId} to succeed (${lines().slice(-8).join(' | ')})`,
    );
  /**
   * Every checkpoint the run's record lists as on disk (best.ckpt at its latest version), fetched
   * through the service: its bytes hash to the recorded sha256, which is the service's as well.
   */
  const expectRecordedCheckpointsDownloadable = async (detail: RunDetail) => {
    const latest = new Map<string, RunDetail['artifacts'][number]>();
    for (const artifact of detail.artifacts) {
      const seen = latest.get(artifact.path);
      if (artifact.kind.endsWith('checkpoint') && (seen === undefined || (artifact.epoch ?? 0) >= (seen.epoch ?? 0))) {
        latest.set(artifact.path, artifact);
      }
    }
    const recorded = [...latest.values()].filter((artifact) => artifact.removedAt === undefined);
    expect(recorded.map((artifact) => artifact.path)).toEqual(
      expect.arrayContaining([`${detail.run.id}/${epochFile(EPOCHS)}`, `${detail.run.id}/checkpoints/best.ckpt`]),
    );
    const http = new HttpArtifactStore({ url, token: TOKEN, attempts: 3 });
    const listed = await http.list(detail.run.id);
    for (const artifact of recorded) {
      const relPath = artifact.path.slice(detail.run.id.length + 1);
      const dest = join(dir, 'downloads', detail.run.id, relPath);
      const got = await http.get(detail.run.id, relPath, dest);
      expect(got.sha256, relPath).toBe(artifact.sha256);
      expect(sha256(readFileSync(dest)), relPath).toBe(artifact.sha256);
      expect(listed.find((entry) => entry.path === relPath)?.sha256, relPath).toBe(artifact.sha256);
    }
    return recorded;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-artifact-outage-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { target, drop } = await createTemporaryDatabase('sqlite', { label: 'artifact-outage', migrate: true });
    cleanups.push(drop);
    store = await openRunStore({ target, migrate: false });
    cleanups.push(() => store.close());
    controlArtifacts = join(dir, 'control-artifacts');
    const prefix = `ltlab-artifact-outage-${process.pid}-${Date.now()}`;
    control = {
      ...process.env,
      DATABASE_URL: target.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LTLAB_HOME: join(dir, 'control'),
      LTLAB_ARTIFACTS: controlArtifacts,
      LTLAB_QUEUE_PREFIX: prefix,
      LTLAB_TOKEN: TOKEN,
    };
    cleanups.push(async () => {
      const client = await connectRedis({ redisUrl: control.REDIS_URL ?? '', prefix });
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    });
    port = await freePort();
    await startServe();
  });

  afterAll(async () => {
    for (const child of children) killGroup(child);
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('retries uploads with backoff through a restart of ltlab serve; the run succeeds once with every checkpoint stored', {
    timeout: 900_000,
  }, async () => {
    const { sweepId, runId } = await submit('outage');
    const w = worker('host-a');
    try {
      const firstUpload = join(controlArtifacts, runId, epochFile(1));
      await waitFor(
        () => (existsSync(firstUpload) ? true : null),
        600_000,
        () => `the first upload (${w.lines.slice(-5).join(' | ')})`,
      );
      await stopServe();
      // Killed while the run was still training: its last epoch had not been written.
      expect(existsSync(join(w.artifacts, runId, epochFile(EPOCHS)))).toBe(false);
      await waitFor(
        () => (w.lines.filter((line) => FAILED_TRY.test(line)).length >= 2 ? true : null),
        300_000,
        () => `two failed upload tries (${w.lines.slice(-5).join(' | ')})`,
      );
      // Down a few seconds more, well inside the worker's budget (8 tries, about 30 s of backoff).
      await sleep(3_000);
      await startServe();

      const finished = await succeeded(runId, () => w.lines);
      const failedTries = w.lines.filter((line) => FAILED_TRY.test(line));
      expect(failedTries.length, w.lines.join('\n')).toBeGreaterThanOrEqual(2);
      // The upload in flight at the kill is cut off (ECONNRESET); later tries find the port closed.
      expect(failedTries.some((line) => /try \d+ of 8 failed \(.*ECONNREFUSED/.test(line))).toBe(true);
      // A short outage costs no attempt: one attempt, every epoch evaluated once, succeeded once.
      expect(finished.run.attempt).toBe(1);
      expect(finished.evaluations.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
      expect(await store.countRunsByStatus(sweepId)).toMatchObject({ succeeded: 1, running: 0, queued: 0, failed: 0 });
      expect(w.lines.some((line) => /requeued/.test(line))).toBe(false);
      await expectRecordedCheckpointsDownloadable(finished);

      // A corrupted upload to the real service: 422, and the stored best.ckpt is the one recorded.
      const best = finished.artifacts.filter((a) => a.path === `${runId}/checkpoints/best.ckpt`).at(-1);
      const corrupted = await fetch(new URL(`api/artifacts/${runId}/checkpoints/best.ckpt`, url), {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'x-ltlab-sha256': sha256(Buffer.from('the bytes that were meant')),
        },
        body: Buffer.from('bytes damaged on the way'),
      });
      expect(corrupted.status).toBe(422);
      expect(await corrupted.json()).toMatchObject({ error: { code: 'CHECKPOINT.CORRUPT' } });
      await expectRecordedCheckpointsDownloadable(finished);
      expect(best?.sha256).toBe(sha256(readFileSync(join(controlArtifacts, runId, 'checkpoints', 'best.ckpt'))));
    } finally {
      // The next test's run is for its own worker.
      killGroup(w.child);
    }
  });

  it('keeps a run whose uploads outlast the retry budget: requeued with CHECKPOINT.UNAVAILABLE, stored once the service is back', {
    timeout: 900_000,
  }, async () => {
    const { sweepId, runId } = await submit('stranded');
    // Two tries per transfer: the budget is spent within a second of the service going away.
    const w = worker('host-b', { LTLAB_ARTIFACT_ATTEMPTS: '2' });
    try {
      const firstUpload = join(controlArtifacts, runId, epochFile(1));
      await waitFor(
        () => (existsSync(firstUpload) ? true : null),
        600_000,
        () => `the first upload (${w.lines.slice(-5).join(' | ')})`,
      );
      await stopServe();
      const requeued = new RegExp(
        `run ${runId} attempt 1 requeued: \\[CHECKPOINT\\.UNAVAILABLE\\] Run ${runId} on host `,
      );
      await waitFor(
        () => (w.lines.some((line) => requeued.test(line)) ? true : null),
        300_000,
        () => `the attempt to end requeued (${w.lines.slice(-5).join(' | ')})`,
      );
      // The trainer finished; its checkpoints are on the worker only, kept there.
      expect(existsSync(join(w.artifacts, runId, epochFile(EPOCHS)))).toBe(true);
      expect(existsSync(join(controlArtifacts, runId, epochFile(EPOCHS)))).toBe(false);
      expect(w.lines.filter((line) => /try 1 of 2 failed/.test(line)).length).toBeGreaterThanOrEqual(1);
      await startServe();

      const finished = await succeeded(runId, () => w.lines);
      // The next attempt resumed from the local copy (no epoch trained again) and uploaded it.
      expect(finished.run.attempt).toBeGreaterThanOrEqual(2);
      expect(finished.resumedFrom).toBe(`${runId}/${epochFile(EPOCHS)}`);
      expect(finished.evaluations.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
      expect(await store.countRunsByStatus(sweepId)).toMatchObject({ succeeded: 1, running: 0, queued: 0, failed: 0 });
      expect(w.lines.some((line) => line.includes(`run ${runId}: uploaded ${epochFile(EPOCHS)}`))).toBe(true);
      await expectRecordedCheckpointsDownloadable(finished);
      // The run's console log, on the control host, says what happened to attempt 1, coded.
      const consoleLog = readFileSync(join(controlArtifacts, runId, 'console.log'), 'utf8');
      expect(consoleLog).toMatch(
        /\[attempt 1\] artifacts: \[CHECKPOINT\.UNAVAILABLE\] Run \S+ on host .*; its checkpoints are kept on this host/,
      );
    } finally {
      killGroup(w.child);
    }
  });
});
