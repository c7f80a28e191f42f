import { afterEach, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../../tests/redis-server.js';
import { connectRedis } from './connection.js';
import { checkRedisDurability, warnIfRedisNotDurable } from './durability.js';

describe('checkRedisDurability', () => {
  let server: TestRedisServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  async function findingsOf(args: string[]) {
    server = await startRedisServer(args);
    const redis = await connectRedis({ redisUrl: server.url, prefix: 'x' });
    try {
      return await checkRedisDurability(redis, server.url);
    } finally {
      redis.disconnect();
    }
  }

  it('finds nothing on a server with AOF and noeviction', async () => {
    expect(
      await findingsOf(['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction']),
    ).toEqual([]);
  });

  it('warns about a server without AOF and one that evicts, saying why and how to fix it', async () => {
    const findings = await findingsOf(['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru']);
    expect(findings.map((finding) => [finding.setting, finding.value])).toEqual([
      ['appendonly', 'no'],
      ['maxmemory-policy', 'allkeys-lru'],
    ]);
    expect(findings[0]?.warning).toMatch(/queued runs .* lost.*Fix: .*appendonly yes/);
    expect(findings[1]?.warning).toMatch(/BullMQ needs noeviction.*Fix: .*maxmemory-policy noeviction/);
  });

  it('reads INFO where CONFIG is disabled', async () => {
    const findings = await findingsOf([
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'volatile-lru',
      '--rename-command',
      'CONFIG',
      '',
    ]);
    expect(findings.map((finding) => [finding.setting, finding.value])).toEqual([
      ['appendonly', 'no'],
      ['maxmemory-policy', 'volatile-lru'],
    ]);
  });

  it('logs one warning line per finding', async () => {
    server = await startRedisServer(['--appendonly', 'no']);
    const redis = await connectRedis({ redisUrl: server.url, prefix: 'x' });
    const lines: string[] = [];
    try {
      await warnIfRedisNotDurable(redis, { redisUrl: server.url, prefix: 'x' }, (line) => lines.push(line));
    } finally {
      redis.disconnect();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: Redis at redis:\/\/127\.0\.0\.1:\d+ runs without append-only persistence/);
  });
});
