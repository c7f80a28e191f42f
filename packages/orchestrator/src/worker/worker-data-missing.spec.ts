import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyBase, waitFor } from '../../tests/helpers.js';
import { openWorkerQueues, type WorkerQueues } from '../../tests/worker-queues.js';
import type { QueueSettings } from '../queue/connection.js';
import type { EventEnvelope, RunJob, WorkerEvent } from '../queue/payloads.js';
import { runJobOptions } from '../queue/run-queue.js';
import { WorkerSupervisor } from './worker-supervisor.js';

/** A stand-in trainer that would report `started` and an epoch: a run it gets is visible. */
function epochTrainer(): { command: string; args: string[] } {
  const script = `
    let input = '';
    process.stdin.on('data', (chunk) => { input += chunk; });
    process.stdin.on('end', () => {
      const job = JSON.parse(input);
      const emit = (seq, event) => process.stdout.write(JSON.stringify({ runId: job.runId, attempt: job.attempt,
        epoch: 1, step: 1, seq, time: Date.now(), ...event }) + '\\n');
      emit(0, { type: 'started', backend: 'wasm', device: null, totalEpochs: 1, stepsPerEpoch: 1, resumedFrom: null });
      emit(1, { type: 'epoch', stage: 'main', trainLoss: 1, lr: 0.1, imagesPerSecond: 1, seconds: 1 });
      emit(2, { type: 'finished', metrics: null });
    });`;
  return { command: process.execPath, args: ['-e', script] };
}

type Heartbeat = Extract<WorkerEvent, { type: 'worker-heartbeat' }>;

describe('WorkerSupervisor and data sets (issue #23)', () => {
  let dir: string;
  let settings: QueueSettings;
  let events: Queue<EventEnvelope>;
  let runs: Queue<RunJob>;

  let queues: WorkerQueues;

  beforeAll(async () => {
    queues = await openWorkerQueues('data');
    ({ dir, settings, events, runs } = queues);
  });
  afterAll(() => queues.close());

  const queued = async () =>
    (await events.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1, true)).map((job) => job.data);

  it('reports its data sets in heartbeats and fails a run whose data is missing before any training', async () => {
    const node = 'data-node-1';
    const missingRoot = join(dir, 'no-cifar-here');
    const supervisor = await WorkerSupervisor.start({
      settings,
      slots: [{ kind: 'cpu', core: 0 }],
      trainer: epochTrainer(),
      artifactRoot: dir,
      node,
      heartbeatMs: 200,
      probeGpus: async () => [],
      knownData: [{ source: 'cifar100', root: join(dir, 'recipe-cifar') }],
    });
    const runId = 'run-without-data';
    try {
      const beats = async () =>
        (await queued())
          .map((envelope) => envelope.event)
          .filter((event): event is Heartbeat => event.type === 'worker-heartbeat' && event.node === node);
      const [first] = await beats();
      expect(first?.dataSources).toEqual([
        expect.objectContaining({ source: 'fashion-mnist', origin: 'well-known' }),
        expect.objectContaining({ source: 'cifar100', path: join(dir, 'recipe-cifar'), present: false }),
      ]);
      await runs.add(
        'run',
        {
          runId,
          sweepId: null,
          config: { ...tinyBase, data: { source: 'cifar100', root: missingRoot } } as unknown as RunJob['config'],
          configHash: 'h',
          objective: { metric: 'top1', mode: 'max' },
        },
        { ...runJobOptions(runId, 50), attempts: 3 },
      );
      const ofRun = async () =>
        (await queued()).filter((envelope) => 'runId' in envelope.event && envelope.event.runId === runId);
      await waitFor(async () => (await ofRun()).some((e) => e.event.type === 'run-ended'), 20_000, 'run-ended');
      const ended = (await ofRun()).map((envelope) => envelope.event);
      // One attempt, no retry: the data will not appear by trying again on this host.
      expect(ended).toEqual([
        expect.objectContaining({ type: 'run-ended', attempt: 1, status: 'failed', errorCode: 'DATA.MISSING' }),
      ]);
      const message = (ended[0] as { errorMessage: string }).errorMessage;
      expect(message).toContain(`Data set 'cifar100' is not on host ${node}: ${missingRoot} (from data.root)`);
      expect(message).toContain(`${join(missingRoot, 'fine_label_names.txt')} does not exist`);
      expect(message).toContain('mount or copy it there');
      // No trainer ran: no started, epoch or finished event of the run.
      expect((await ofRun()).filter((envelope) => envelope.source === 'trainer')).toEqual([]);
      // The next heartbeats carry the run's data, missing.
      await waitFor(
        async () =>
          (await beats()).some((beat) =>
            beat.dataSources?.some((entry) => entry.origin === `run ${runId}` && !entry.present),
          ),
        10_000,
        "a heartbeat with the run's data",
      );
    } finally {
      await supervisor.close();
    }
  });
});
