import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectRedis, type QueueSettings } from '../src/queue/connection.js';
import type { EventEnvelope, RunJob } from '../src/queue/payloads.js';
import { openEventsQueue, openRunsQueue } from '../src/queue/run-queue.js';

/** What a worker spec drives a supervisor with: its runs and events queues under a throwaway prefix, and an artifact directory. */
export interface WorkerQueues {
  dir: string;
  redis: Redis;
  settings: QueueSettings;
  events: Queue<EventEnvelope>;
  runs: Queue<RunJob>;
  /** Closes the queues, deletes every key under the prefix and the directory. */
  close(): Promise<void>;
}

/** Opens the queues on REDIS_URL (default the local server) under a prefix of this process and `label`. */
export async function openWorkerQueues(label: string): Promise<WorkerQueues> {
  const dir = mkdtempSync(join(tmpdir(), `ltlab-${label}-`));
  const settings: QueueSettings = {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `ltlab-test-${label}-${process.pid}-${Date.now()}`,
  };
  const redis = await connectRedis(settings);
  const events = openEventsQueue(settings, redis);
  const runs = openRunsQueue(settings, redis);
  return {
    dir,
    redis,
    settings,
    events,
    runs,
    async close() {
      await events.close();
      await runs.close();
      const found = await redis.keys(`${settings.prefix}:*`);
      if (found.length > 0) await redis.del(...found);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
