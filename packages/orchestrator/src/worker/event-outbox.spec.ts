import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LtlabError } from '@ltlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../../tests/redis-server.js';
import { createRedis } from '../queue/connection.js';
import type { EventEnvelope } from '../queue/payloads.js';
import { openEventsQueue, publishEvent } from '../queue/run-queue.js';
import { EventOutbox, type EventOutboxOptions } from './event-outbox.js';

/** A run heartbeat as an outbox event of `runId`, numbered by `seq` in its id. */
function event(runId: string, seq: number): EventEnvelope {
  return {
    id: `run-heartbeat:${runId}:${seq}`,
    source: 'worker',
    event: { type: 'run-heartbeat', runId, attempt: 1, time: 1_000 + seq },
  };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('EventOutbox', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-outbox-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function outbox(publish: EventOutboxOptions['publish'], overrides: Partial<EventOutboxOptions> = {}) {
    const lines: string[] = [];
    const failed: Array<[string, LtlabError]> = [];
    const box = new EventOutbox({
      publish,
      deliveryTimeoutMs: 60_000,
      maxBackoffMs: 50,
      attemptTimeoutMs: 200,
      spillFile: (runId) => join(dir, runId, 'undelivered-events.jsonl'),
      log: (line) => lines.push(line),
      onUndeliverable: (runId, error) => failed.push([runId, error]),
      ...overrides,
    });
    return { box, lines, failed };
  }

  it('keeps the order through failed tries and delivers each event once', async () => {
    const delivered: string[] = [];
    let down = true;
    const { box, lines } = outbox(async (envelope) => {
      if (down) throw new Error('Stream is not writeable');
      delivered.push(envelope.id);
    });
    for (let seq = 0; seq < 5; seq++) box.push(event('r1', seq));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toEqual([]);
    down = false;
    expect(await box.flush(5_000)).toBe(true);
    expect(delivered).toEqual([0, 1, 2, 3, 4].map((seq) => `run-heartbeat:r1:${seq}`));
    expect(lines[0]).toMatch(/^events: cannot publish \(Stream is not writeable\); keeping 5 events in order/);
    expect(lines.at(-1)).toMatch(/^events: Redis takes events again after/);
  });

  it('gives up a try that hangs and sends the event again (its id makes the copy a no-op)', async () => {
    const tries: string[] = [];
    let hang = true;
    const { box } = outbox(async (envelope) => {
      tries.push(envelope.id);
      if (hang) {
        hang = false;
        await new Promise(() => undefined);
      }
    });
    box.push(event('r2', 0));
    box.push(event('r2', 1));
    expect(await box.flush(5_000)).toBe(true);
    expect(tries).toEqual(['run-heartbeat:r2:0', 'run-heartbeat:r2:0', 'run-heartbeat:r2:1']);
  });

  it('fails a run whose events wait past the delivery bound, and keeps its events', async () => {
    let down = true;
    const delivered: string[] = [];
    const { box, failed, lines } = outbox(
      async (envelope) => {
        if (down) throw new Error('OOM command not allowed when used memory > maxmemory');
        delivered.push(envelope.id);
      },
      { deliveryTimeoutMs: 300 },
    );
    box.push(event('r3', 0));
    await until(() => failed.length > 0);
    expect(failed[0]?.[0]).toBe('r3');
    expect(failed[0]?.[1]).toMatchObject({ code: 'QUEUE.UNAVAILABLE', retryable: false });
    expect(lines.some((line) => line.startsWith('[QUEUE.UNAVAILABLE] Events of run r3 could not be delivered'))).toBe(
      true,
    );
    down = false;
    expect(await box.flush(5_000)).toBe(true);
    expect(delivered).toEqual(['run-heartbeat:r3:0']);
    expect(failed).toHaveLength(1);
  });

  it("writes a run's events that do not fit in memory to its file, in order, and replays them first", async () => {
    let down = true;
    const delivered: string[] = [];
    const { box, failed } = outbox(
      async (envelope) => {
        if (down) throw new Error('down');
        delivered.push(envelope.id);
      },
      { maxBufferedBytes: 400 },
    );
    for (let seq = 0; seq < 8; seq++) box.push(event('r4', seq));
    expect(failed.map(([runId]) => runId)).toEqual(['r4']);
    const file = join(dir, 'r4', 'undelivered-events.jsonl');
    const spilled = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as EventEnvelope).id);
    // The head stays in memory (it may be in flight); the rest is in the file, in order.
    expect(spilled).toEqual([1, 2, 3, 4, 5, 6, 7].map((seq) => `run-heartbeat:r4:${seq}`));
    down = false;
    expect(await box.flush(5_000)).toBe(true);
    expect(await box.replay('r4')).toBe(7);
    expect(existsSync(file)).toBe(false);
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((seq) => `run-heartbeat:r4:${seq}`));
  });

  it('on close, writes what is still waiting to the run files for the next attempt', () => {
    const { box } = outbox(async () => {
      throw new Error('down');
    });
    for (let seq = 0; seq < 3; seq++) box.push(event('r5', seq));
    box.push({ id: 'worker-stopped:w', source: 'worker', event: { type: 'worker-stopped', workerId: 'w', time: 1 } });
    expect(box.close()).toEqual({ spilled: 3, lost: 1 });
    const file = join(dir, 'r5', 'undelivered-events.jsonl');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('leaves events it cannot replay in time in the file, in front, and says so coded', async () => {
    const { box } = outbox(async () => {
      throw new Error('down');
    });
    for (let seq = 0; seq < 3; seq++) box.push(event('r6', seq));
    box.close();
    const stuck = outbox(
      async () => {
        throw new Error('still down');
      },
      { deliveryTimeoutMs: 200 },
    );
    await expect(stuck.box.replay('r6')).rejects.toMatchObject({ code: 'QUEUE.UNAVAILABLE', retryable: true });
    const delivered: string[] = [];
    const back = outbox(async (envelope) => {
      delivered.push(envelope.id);
    });
    expect(await back.box.replay('r6')).toBe(3);
    expect(delivered).toEqual([0, 1, 2].map((seq) => `run-heartbeat:r6:${seq}`));
  });
});

describe('EventOutbox with a Redis that stops and comes back', () => {
  let server: TestRedisServer;
  beforeAll(async () => {
    server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('delivers every event published while Redis was down, in order, exactly once', async () => {
    const settings = { redisUrl: server.url, prefix: `ltlab-test-outbox-${process.pid}` };
    const publisher = createRedis(settings, { role: 'publisher' });
    const events = openEventsQueue(settings, publisher);
    await events.waitUntilReady();
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-outbox-redis-'));
    const box = new EventOutbox({
      publish: (envelope) => publishEvent(events, envelope),
      deliveryTimeoutMs: 60_000,
      maxBackoffMs: 500,
      attemptTimeoutMs: 1_000,
      spillFile: (runId) => join(dir, runId, 'undelivered-events.jsonl'),
      log: () => undefined,
      onUndeliverable: () => undefined,
    });
    try {
      for (let seq = 0; seq < 3; seq++) box.push(event('live', seq));
      expect(await box.flush(10_000)).toBe(true);
      await server.stop();
      for (let seq = 3; seq < 10; seq++) box.push(event('live', seq));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(box.size).toBe(7);
      await server.start();
      expect(await box.flush(30_000)).toBe(true);
      const jobs = await events.getJobs(['waiting', 'prioritized'], 0, -1, true);
      expect(jobs.map((job) => job.data.id)).toEqual([...Array(10).keys()].map((seq) => `run-heartbeat:live:${seq}`));
    } finally {
      box.close();
      await events.close();
      publisher.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
