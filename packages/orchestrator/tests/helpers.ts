import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseTarget, openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';
import type { Redis } from 'ioredis';
import { connectRedis, type QueueSettings } from '../src/queue/connection.js';

/** A real Redis with a prefix of its own and a fresh SQLite store, removed afterwards. */
export interface TestBed {
  dir: string;
  settings: QueueSettings;
  redis: Redis;
  store: PrismaRunStore;
  cleanup(): Promise<void>;
}

export async function createTestBed(name: string, provider: DatabaseTarget['provider'] = 'sqlite'): Promise<TestBed> {
  const dir = mkdtempSync(join(tmpdir(), `ltlab-${name}-`));
  const settings: QueueSettings = {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `ltlab-test-${name}-${provider}-${process.pid}-${Date.now()}`,
  };
  const redis = await connectRedis(settings);
  const database = await createTemporaryDatabase(provider, { label: name, migrate: true });
  const store = await openRunStore({ target: database.target });
  return {
    dir,
    settings,
    redis,
    store,
    async cleanup() {
      const found = await redis.keys(`${settings.prefix}:*`);
      if (found.length > 0) await redis.del(...found);
      redis.disconnect();
      await store.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const tinyBase = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 1,
  batchSize: 64,
};

export function writeSweep(dir: string, file: string, body: Record<string, unknown>): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
