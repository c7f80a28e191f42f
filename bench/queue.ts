/**
 * Queue and store throughput: submitting a 10,000-run sweep (expansion, store rows, BullMQ jobs)
 * and recording trainer events from the durable events queue into SQLite and PostgreSQL.
 * Needs Redis (REDIS_URL) and PostgreSQL (LTLAB_TEST_POSTGRES_URL, default postgresql://root@127.0.0.1:5432/test).
 * Usage: npm run bench -- queue [--runs 10000] [--events 5000]
 */
import { parseArgs } from 'node:util';
import { parseOrThrow } from '@ltlab/core';
import {
  connectRedis,
  type EventEnvelope,
  expandSweep,
  openEventsQueue,
  openRunsQueue,
  Recorder,
  submitSweep,
  sweepSpecSchema,
} from '@ltlab/orchestrator';
import { openRunStore } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, events: { type: 'string', default: '5000' } },
});
const RUNS = Number(values.runs);
const EVENTS = Number(values.events);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 30,
  batchSize: 128,
};

async function clearPrefix(prefix: string): Promise<void> {
  const redis = await connectRedis({ redisUrl, prefix });
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  redis.disconnect();
}

async function benchProvider(provider: 'sqlite' | 'postgresql'): Promise<void> {
  const { target, drop } = await createTemporaryDatabase(provider, { label: 'bench_queue', migrate: true });
  const settings = { redisUrl, prefix: `ltlab-bench-${provider}-${process.pid}` };
  try {
    const store = await openRunStore({ target, migrate: false });
    const redis = await connectRedis(settings);
    const runs = openRunsQueue(settings, redis);

    const spec = parseOrThrow(
      sweepSpecSchema,
      {
        name: 'bench',
        base,
        random: {
          count: RUNS,
          seed: 1,
          params: { 'optimizer.lr': { distribution: 'log-uniform', min: 1e-4, max: 1 } },
        },
      },
      'bench sweep',
    );
    let t = performance.now();
    const expanded = expandSweep(spec, base, { maxRuns: RUNS });
    const expandSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const result = await submitSweep({ store, runs, redis, settings }, { spec, base, expanded });
    const submitSeconds = (performance.now() - t) / 1000;
    console.log(
      `${provider.padEnd(10)} submit ${result.runs} runs: expand ${expandSeconds.toFixed(2)} s (${(RUNS / expandSeconds).toFixed(0)} runs/s), ` +
        `store + enqueue ${submitSeconds.toFixed(2)} s (${(RUNS / submitSeconds).toFixed(0)} runs/s)`,
    );

    // Events: EVENTS epoch events spread over 100 runs, published while no recorder runs.
    const events = openEventsQueue(settings, redis);
    const runIds = expanded.runs.slice(0, 100).map((run) => run.id);
    const perRun = Math.ceil(EVENTS / runIds.length);
    for (let i = 0; i < EVENTS; i += 500) {
      await events.addBulk(
        Array.from({ length: Math.min(500, EVENTS - i) }, (_, k) => {
          const n = i + k;
          const runId = runIds[n % runIds.length] as string;
          const seq = Math.floor(n / runIds.length);
          const envelope: EventEnvelope = {
            id: `${runId}.1.${seq}`,
            source: 'trainer',
            event: {
              type: 'epoch',
              runId,
              attempt: 1,
              seq,
              epoch: seq,
              step: seq * 19,
              time: Date.now(),
              stage: 'main',
              trainLoss: 1 / (seq + 1),
              lr: 0.1,
              imagesPerSecond: 300,
              seconds: 8,
            },
          };
          return { name: 'epoch', data: envelope, opts: { jobId: envelope.id } };
        }),
      );
    }
    t = performance.now();
    const recorder = Recorder.start({ settings, store });
    for (;;) {
      const waiting = await events.getJobCountByTypes('waiting', 'active', 'delayed');
      if (waiting === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const recordSeconds = (performance.now() - t) / 1000;
    await recorder.close();
    const rows = await store.client.metricPoint.count();
    console.log(
      `${provider.padEnd(10)} record ${EVENTS} events (${perRun} epochs x ${runIds.length} runs, 4 metric rows each): ` +
        `${recordSeconds.toFixed(2)} s, ${(EVENTS / recordSeconds).toFixed(0)} events/s, ${rows} metric rows`,
    );
    await events.close();
    await runs.close();
    redis.disconnect();
    await store.close();
  } finally {
    await clearPrefix(settings.prefix);
    await drop();
  }
}

console.log(`bench/queue: ${RUNS}-run sweep, ${EVENTS} events; Redis ${redisUrl}`);
await benchProvider('sqlite');
await benchProvider('postgresql');
