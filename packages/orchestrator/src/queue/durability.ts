import type { Redis } from 'ioredis';
import type { QueueSettings } from './connection.js';
import { parseRedisUrl } from './redis-url.js';

/** One setting of the Redis server that puts the queues at risk. */
export interface DurabilityFinding {
  setting: 'appendonly' | 'maxmemory-policy';
  /** What the server has (`no`, `allkeys-lru`). */
  value: string;
  /** What goes wrong with it, and what to run instead: one warning line. */
  warning: string;
}

/**
 * Reads `appendonly` and `maxmemory-policy` with CONFIG GET, or from INFO where CONFIG is
 * disabled or renamed (managed Redis often does that). Unknown values are not reported.
 */
export async function checkRedisDurability(redis: Redis, display: string): Promise<DurabilityFinding[]> {
  const appendonly = (await configValue(redis, 'appendonly')) ?? aofFromInfo(await info(redis, 'persistence'));
  const policy =
    (await configValue(redis, 'maxmemory-policy')) ?? infoField(await info(redis, 'memory'), 'maxmemory_policy');
  const findings: DurabilityFinding[] = [];
  if (appendonly === 'no') {
    findings.push({
      setting: 'appendonly',
      value: appendonly,
      warning:
        `warning: Redis at ${display} runs without append-only persistence (appendonly no): if it restarts, ` +
        'queued runs and events the recorder has not stored yet are lost. ' +
        'Fix: redis-cli CONFIG SET appendonly yes (and appendonly yes, appendfsync everysec in redis.conf), ' +
        'or start it with --appendonly yes --appendfsync everysec.',
    });
  }
  if (policy !== null && policy !== 'noeviction') {
    findings.push({
      setting: 'maxmemory-policy',
      value: policy,
      warning:
        `warning: Redis at ${display} evicts keys when memory runs short (maxmemory-policy ${policy}): ` +
        'BullMQ needs noeviction, or jobs, locks and events vanish without an error. ' +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and the same in redis.conf), ' +
        'or start it with --maxmemory-policy noeviction.',
    });
  }
  return findings;
}

/**
 * Logs a warning for each risky setting (at worker and serve start-up); a failed check is one
 * line too, never an exception.
 */
export async function warnIfRedisNotDurable(
  redis: Redis,
  settings: QueueSettings,
  log: (line: string) => void,
): Promise<DurabilityFinding[]> {
  const display = parseRedisUrl(settings.redisUrl).display;
  try {
    const findings = await checkRedisDurability(redis, display);
    for (const finding of findings) log(finding.warning);
    return findings;
  } catch (error) {
    log(
      `warning: could not read the persistence settings of Redis at ${display} (${error instanceof Error ? error.message : String(error)}).`,
    );
    return [];
  }
}

async function configValue(redis: Redis, name: string): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', name)) as unknown;
    return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
  } catch {
    return null;
  }
}

async function info(redis: Redis, section: string): Promise<string> {
  try {
    return await redis.info(section);
  } catch {
    return '';
  }
}

function infoField(text: string, field: string): string | null {
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(text);
  return match?.[1]?.trim() ?? null;
}

function aofFromInfo(text: string): string | null {
  const enabled = infoField(text, 'aof_enabled');
  return enabled === null ? null : enabled === '1' ? 'yes' : 'no';
}
