import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import type { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyBase, waitFor } from '../../tests/helpers.js';
import { openWorkerQueues, type WorkerQueues } from '../../tests/worker-queues.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { LocalArtifactStore } from '../artifacts/local-artifact-store.js';
import type { QueueSettings } from '../queue/connection.js';
import type { EventEnvelope, RunJob } from '../queue/payloads.js';
import { runJobOptions } from '../queue/run-queue.js';
import { WorkerSupervisor } from './worker-supervisor.js';

/**
 * A stand-in trainer: marks that it started, writes one epoch checkpoint and reports it, then
 * reports `finished` and exits.
 */
function checkpointingTrainer(): { command: string; args: string[] } {
  const script = `
    const fs = require('node:fs'); const path = require('node:path');
    let input = '';
    process.stdin.on('data', (chunk) => { input += chunk; });
    process.stdin.on('end', () => {
      const job = JSON.parse(input);
      fs.mkdirSync(path.join(job.runDir, 'checkpoints'), { recursive: true });
      fs.writeFileSync(path.join(job.runDir, 'trainer-started'), '');
      fs.writeFileSync(path.join(job.runDir, 'checkpoints', 'epoch-00001.ckpt'), 'weights of epoch 1');
      let seq = 0;
      const emit = (event) => process.stdout.write(JSON.stringify({ runId: job.runId, attempt: job.attempt,
        epoch: 1, step: 1, seq: seq++, time: Date.now(), ...event }) + '\\n');
      emit({ type: 'started', backend: 'cpu', device: null, totalEpochs: 1, stepsPerEpoch: 1, resumedFrom: null });
      emit({ type: 'checkpoint', path: job.runId + '/checkpoints/epoch-00001.ckpt', sizeBytes: 18, sha256: 'x',
        best: false, file: 'epoch', pruned: [], selection: null });
      process.stderr.write('a line for the console log\\n');
      emit({ type: 'finished', metrics: null });
    });`;
  return { command: process.execPath, args: ['-e', script] };
}

describe('WorkerSupervisor with an artifact store', () => {
  let dir: string;
  let settings: QueueSettings;
  let events: Queue<EventEnvelope>;
  let runs: Queue<RunJob>;

  let queues: WorkerQueues;

  beforeAll(async () => {
    queues = await openWorkerQueues('supervisor-store');
    ({ dir, settings, events, runs } = queues);
  });
  afterAll(() => queues.close());

  const enqueue = (runId: string, attempts: number) =>
    runs.add(
      'run',
      {
        runId,
        sweepId: null,
        config: tinyBase as unknown as RunJob['config'],
        configHash: 'h',
        objective: { metric: 'top1', mode: 'max' },
      },
      { ...runJobOptions(runId, 50), attempts, backoff: { type: 'fixed', delay: 100 } },
    );
  const jobsOf = async (runId: string): Promise<Job<EventEnvelope>[]> =>
    (await events.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1, true)).filter(
      (job) => 'runId' in job.data.event && job.data.event.runId === runId,
    );

  it('uploads each reported checkpoint and reports the run finished only after the upload', async () => {
    const runId = 'uploading-run';
    const remote = new LocalArtifactStore(join(dir, 'control'));
    let uploadedAt = 0;
    // A slow link: the upload ends well after the trainer has reported `finished`.
    const store: ArtifactStore = {
      location: remote.location,
      put: async (id, relPath, file) => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const stored = await remote.put(id, relPath, file);
        if (relPath.startsWith('checkpoints/')) uploadedAt = Date.now();
        return stored;
      },
      get: (id, relPath, dest, sha) => remote.get(id, relPath, dest, sha),
      list: (id) => remote.list(id),
      delete: (id, relPath) => remote.delete(id, relPath),
    };
    const supervisor = await WorkerSupervisor.start({
      settings,
      slots: [{ kind: 'cpu', core: 0 }],
      trainer: checkpointingTrainer(),
      artifactRoot: join(dir, 'node-a'),
      artifactStore: store,
      node: 'node-a',
      heartbeatMs: 200,
      probeGpus: async () => [],
    });
    try {
      await enqueue(runId, 1);
      await waitFor(
        async () => (await jobsOf(runId)).some((job) => job.data.event.type === 'finished'),
        30_000,
        'finished',
      );
      const finished = (await jobsOf(runId)).find((job) => job.data.event.type === 'finished');
      expect(uploadedAt).toBeGreaterThan(0);
      expect(finished?.timestamp).toBeGreaterThanOrEqual(uploadedAt);
      expect((await remote.list(runId)).map((entry) => entry.path)).toEqual([
        'checkpoints/epoch-00001.ckpt',
        'console.log',
      ]);
    } finally {
      await supervisor.close();
    }
  });

  it('never reports finished while the store lacks the checkpoints: requeued, then failed coded, the local copy kept', async () => {
    const runId = 'unstored-run';
    const remote = new LocalArtifactStore(join(dir, 'control'));
    let puts = 0;
    // The control host's service is down for good: every upload fails once its retries are spent.
    const store: ArtifactStore = {
      location: 'http://control.invalid:7420/',
      put: () => {
        puts += 1;
        return Promise.reject(new LtlabError('CHECKPOINT.UNAVAILABLE', 'Could not upload in 8 tries: ECONNREFUSED'));
      },
      get: (id, relPath, dest, sha) => remote.get(id, relPath, dest, sha),
      list: (id) => remote.list(id),
      delete: (id, relPath) => remote.delete(id, relPath),
    };
    const supervisor = await WorkerSupervisor.start({
      settings,
      slots: [{ kind: 'cpu', core: 0 }],
      trainer: checkpointingTrainer(),
      artifactRoot: join(dir, 'node-c'),
      artifactStore: store,
      node: 'node-c',
      heartbeatMs: 200,
      probeGpus: async () => [],
    });
    try {
      await enqueue(runId, 2);
      const ofRun = async () => (await jobsOf(runId)).map((job) => job.data.event);
      await waitFor(async () => (await ofRun()).some((event) => event.type === 'run-ended'), 30_000, 'run-ended');
      const outcomes = (await ofRun()).filter(
        (event) => event.type === 'run-requeued' || event.type === 'run-ended' || event.type === 'finished',
      );
      expect(outcomes).toMatchObject([
        {
          type: 'run-requeued',
          attempt: 1,
          code: 'CHECKPOINT.UNAVAILABLE',
          reason: expect.stringMatching(
            /^\[CHECKPOINT\.UNAVAILABLE\] Run unstored-run on host node-c: not stored: checkpoints\/epoch-00001\.ckpt: .*ECONNREFUSED/,
          ),
        },
        { type: 'run-ended', attempt: 2, status: 'failed', errorCode: 'CHECKPOINT.UNAVAILABLE' },
      ]);
      expect(outcomes).toHaveLength(2);
      // Per attempt: the background upload, the one tried again after the trainer finished, the console log.
      expect(puts).toBe(6);
      expect(existsSync(join(dir, 'node-c', runId, 'checkpoints', 'epoch-00001.ckpt'))).toBe(true);
      expect(readFileSync(join(dir, 'node-c', runId, 'console.log'), 'utf8')).toMatch(
        /\[attempt 1\] artifacts: \[CHECKPOINT\.UNAVAILABLE\] Run unstored-run on host node-c: not stored/,
      );
    } finally {
      await supervisor.close();
    }
  });

  it('fails the attempt with CHECKPOINT.UNAVAILABLE, never starting the trainer, when listed checkpoints cannot be fetched', async () => {
    const runId = 'unfetchable-run';
    const remote = new LocalArtifactStore(join(dir, 'control'));
    const seed = join(dir, 'seed.ckpt');
    writeFileSync(seed, 'weights of epoch 3');
    await remote.put(runId, 'checkpoints/epoch-00003.ckpt', seed);
    const store: ArtifactStore = {
      location: 'http://control.invalid:7420/',
      put: (id, relPath, file) => remote.put(id, relPath, file),
      get: () => Promise.reject(new LtlabError('CHECKPOINT.UNAVAILABLE', 'ECONNREFUSED')),
      list: (id) => remote.list(id),
      delete: (id, relPath) => remote.delete(id, relPath),
    };
    const lines: string[] = [];
    const supervisor = await WorkerSupervisor.start({
      settings,
      slots: [{ kind: 'cpu', core: 0 }],
      trainer: checkpointingTrainer(),
      artifactRoot: join(dir, 'node-b'),
      artifactStore: store,
      node: 'node-b',
      heartbeatMs: 200,
      probeGpus: async () => [],
      onLog: (slot, line) => lines.push(`[${slot}] ${line}`),
    });
    try {
      await enqueue(runId, 2);
      const ofRun = async () => (await jobsOf(runId)).map((job) => job.data.event);
      await waitFor(async () => (await ofRun()).some((event) => event.type === 'run-ended'), 30_000, 'run-ended');
      expect(
        (await ofRun()).filter((event) => event.type === 'run-requeued' || event.type === 'run-ended'),
      ).toMatchObject([
        {
          type: 'run-requeued',
          attempt: 1,
          reason: expect.stringMatching(
            /^\[CHECKPOINT\.UNAVAILABLE\] Run unfetchable-run on host node-b: .*epoch-00003\.ckpt: ECONNREFUSED/,
          ),
        },
        { type: 'run-ended', attempt: 2, status: 'failed', errorCode: 'CHECKPOINT.UNAVAILABLE' },
      ]);
      expect((await ofRun()).some((event) => event.type === 'started')).toBe(false);
      expect(existsSync(join(dir, 'node-b', runId, 'trainer-started'))).toBe(false);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/could not fetch checkpoints\/epoch-00003\.ckpt .*ECONNREFUSED/),
        ]),
      );
    } finally {
      await supervisor.close();
    }
  });
});
