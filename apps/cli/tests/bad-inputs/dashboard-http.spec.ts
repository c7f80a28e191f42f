import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectRedis } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCodedFailure, runLtlab } from './run-ltlab.js';

/**
 * `ltlab serve` and its dashboard as a careless user or an attacker meets them: a busy port, a
 * host that is not one, a Host header of a rebinding domain, a read without the token, a
 * malformed %-escape, bad query parameters. Each is one coded answer naming what is wrong (exit
 * 2 and `[CONFIG.INVALID]` with the flag for the command, a JSON error with a 4xx status for
 * HTTP), no stack trace, and nothing changed in the store or the queue.
 */
const BIN = fileURLToPath(new URL('../../bin/ltlab.mjs', import.meta.url));
const TOKEN = 'dashboard-http-token-0123456789';
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

interface Served {
  child: ChildProcess;
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
}

/** Starts a long-running `ltlab serve …` and waits for the dashboard's address on stderr. */
function startServe(args: readonly string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /dashboard (http:\/\/\S+\/)[;,]/.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stderr: () => stderr });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}: ${stderr}`));
    });
  });
}

async function stop(served: Served | undefined): Promise<void> {
  if (served === undefined || served.child.exitCode !== null) return;
  const exited = new Promise((resolve) => served.child.once('exit', resolve));
  served.child.kill('SIGINT');
  await exited;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request exactly as given: the path unnormalised, any Host header. */
function send(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A JSON error: the status, the code, text it must mention, and no stack trace. */
function expectHttpError(answer: Answer, status: number, code: string, mentions: readonly (string | RegExp)[] = []) {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.body).not.toMatch(STACK_LINE);
  const error = (JSON.parse(answer.body) as { error: { code: string; message: string; fix?: string } }).error;
  expect(error.code).toBe(code);
  const text = `${error.message}\n${error.fix ?? ''}`;
  for (const mention of mentions) {
    if (typeof mention === 'string') expect(text).toContain(mention);
    else expect(text).toMatch(mention);
  }
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('ltlab serve and its dashboard with bad inputs', () => {
  let dir: string;
  let databaseFile: string;
  let store: PrismaRunStore;
  let env: Record<string, string>;
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  const prefix = `ltlab-test-dashboard-http-${process.pid}-${Date.now()}`;
  /** `ltlab serve` on loopback without a token: recorder, reaper and dashboard. */
  let open: Served | undefined;
  /** `ltlab serve --read-only` with LTLAB_TOKEN set. */
  let guarded: Served | undefined;
  let busy: Server;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-dashboard-http-'));
    databaseFile = join(dir, 'ltlab.db');
    store = await openRunStore({ target: { provider: 'sqlite', url: `file:${databaseFile}` }, migrate: true });
    await store.saveSweep({
      id: 'lr-1234abcd',
      name: 'lr',
      spec: {},
      specHash: 'h',
      objectiveMetric: 'test/top1',
      objectiveMode: 'max',
      priority: 50,
      maxConcurrency: null,
    });
    await store.addRuns(
      ['lr-a', 'lr-b'].map((id, ordinal) => ({
        id,
        sweepId: 'lr-1234abcd',
        fingerprint: id,
        config: { optimizer: { lr: 0.1 * (ordinal + 1) } },
        configHash: id,
        label: `lr=${0.1 * (ordinal + 1)}`,
        ordinal,
        sweptKeys: ['optimizer.lr'],
      })),
    );
    redis = await connectRedis({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix });
    env = { DATABASE_URL: `file:${databaseFile}`, LTLAB_HOME: dir, LTLAB_QUEUE_PREFIX: prefix };
    busy = await listen();
    [open, guarded] = await Promise.all([
      startServe(['--port', '0'], env),
      startServe(['--read-only', '--port', '0'], { ...env, LTLAB_TOKEN: TOKEN }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await stop(open);
    await stop(guarded);
    await new Promise((resolve) => busy?.close(resolve));
    const left = await redis?.keys(`${prefix}:*`);
    if (left !== undefined && left.length > 0) await redis.del(...left);
    redis?.disconnect();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const busyPort = () => {
    const address = busy.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  };

  const statuses = async () => (await store.listRuns()).runs.map((run) => `${run.id}:${run.status}`).sort();

  it('serve on a busy port exits 2 naming --port and the fix, and writes no job', { timeout: 60_000 }, async () => {
    const port = busyPort();
    const otherPrefix = `${prefix}-busy`;
    const result = await runLtlab(['serve', '--port', String(port)], {
      env: { ...env, LTLAB_QUEUE_PREFIX: otherPrefix },
    });
    expectCodedFailure(result, {
      exit: 2,
      code: 'CONFIG.INVALID',
      mentions: [
        `--port ${port}:`,
        `port ${port} is already in use`,
        'Fix: Stop what listens on that port, or pass another --port',
      ],
    });
    expect(await statuses()).toEqual(['lr-a:queued', 'lr-b:queued']);
    expect(await redis.keys(`${otherPrefix}:*`)).toEqual([]);
  });

  it('serve --read-only on a busy port exits 2 the same way and leaves the database as it was', {
    timeout: 60_000,
  }, async () => {
    const before = statSync(databaseFile).mtimeMs;
    const result = await runLtlab(['serve', '--read-only', '--port', String(busyPort()), '--database', databaseFile], {
      env,
    });
    expectCodedFailure(result, { exit: 2, code: 'CONFIG.INVALID', mentions: ['--port', 'already in use', 'Fix:'] });
    expect(statSync(databaseFile).mtimeMs).toBe(before);
  });

  it('serve on a host that does not resolve exits 2 naming --host and the fix', { timeout: 60_000 }, async () => {
    const missing = join(dir, 'never.db');
    const result = await runLtlab(
      ['serve', '--read-only', '--host', 'no-such-host.invalid', '--token', TOKEN, '--database', databaseFile],
      { env: { ...env, LTLAB_HOME: join(dir, 'home-never') } },
    );
    expectCodedFailure(result, {
      exit: 2,
      code: 'CONFIG.INVALID',
      mentions: ['--host no-such-host.invalid:', 'does not resolve', 'Fix: Pass --host an address of this machine'],
      never: [TOKEN],
    });
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'home-never'))).toBe(false);
  });

  it('serve with a --host that is not a host name exits 2 before opening anything', { timeout: 60_000 }, async () => {
    const result = await runLtlab(['serve', '--host', 'bad host!', '--port', '0'], {
      env: { ...env, LTLAB_HOME: join(dir, 'home-bad-host'), DATABASE_URL: `file:${join(dir, 'bad-host.db')}` },
    });
    expectCodedFailure(result, {
      exit: 2,
      code: 'CONFIG.INVALID',
      mentions: ['--host: not an IP address or a host name'],
    });
    expect(existsSync(join(dir, 'bad-host.db'))).toBe(false);
  });

  it('serve on 127.0.0.1.evil.example without a token exits 2: a name starting 127. is not loopback', {
    timeout: 60_000,
  }, async () => {
    const result = await runLtlab(
      ['serve', '--read-only', '--host', '127.0.0.1.evil.example', '--database', databaseFile],
      {
        env: { ...env, LTLAB_TOKEN: undefined },
      },
    );
    expectCodedFailure(result, {
      exit: 2,
      code: 'CONFIG.INVALID',
      mentions: ['--host 127.0.0.1.evil.example:', 'without a token', 'Fix: Pass --token'],
    });
  });

  it('a rebinding Host header (127.0.0.1.evil.example) is refused: no read, no cancel', async () => {
    const url = open?.url ?? '';
    const host = '127.0.0.1.evil.example';
    expectHttpError(await send(url, '/api/runs', { headers: { host } }), 403, 'FORBIDDEN', [host, 'loopback']);
    const cancel = await send(url, '/api/runs/cancel', {
      method: 'POST',
      headers: { host: `${host}:${new URL(url).port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ['lr-a'] }),
    });
    expectHttpError(cancel, 403, 'FORBIDDEN', ['DNS rebinding']);
    expect(await statuses()).toEqual(['lr-a:queued', 'lr-b:queued']);
    expect(await redis.keys(`${prefix}:cancel*`)).toEqual([]);
  });

  it('with a token set, a read without it answers 401 JSON: runs, run detail, export, live updates', async () => {
    const url = guarded?.url ?? '';
    for (const path of ['/api/runs', '/api/runs/lr-a', '/api/runs/export.csv', '/api/events', '/api/sweeps']) {
      const answer = await send(url, path);
      expectHttpError(answer, 401, 'UNAUTHORIZED', ['needs its token', '?token=']);
      expect(answer.body).not.toContain('lr=0.1');
    }
    const granted = await send(url, '/api/runs', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(granted.status).toBe(200);
    expect(granted.body).toContain('lr=0.1');
  });

  it('a malformed %-escape in the path or the query answers 400 naming where, not 500', async () => {
    const url = open?.url ?? '';
    expectHttpError(await send(url, '/api/runs/%E0%A4%A'), 400, 'CONFIG.INVALID', ['path has a malformed %-escape']);
    expectHttpError(await send(url, '/api/runs?sweep=%E0%A4%A'), 400, 'CONFIG.INVALID', ["query parameter 'sweep'"]);
    expectHttpError(await send(url, '/%zz'), 400, 'CONFIG.INVALID', ['malformed %-escape']);
  });

  it('bad query parameters answer 400 naming each bad one', async () => {
    const url = open?.url ?? '';
    expectHttpError(await send(url, '/api/runs?limit=abc&dir=up&bogus=1'), 400, 'CONFIG.INVALID', [
      'limit',
      'dir',
      'bogus: unknown key',
    ]);
    expectHttpError(await send(url, `/api/runs?filters=${encodeURIComponent('{not json')}`), 400, 'CONFIG.INVALID', [
      'filters must be a JSON array',
    ]);
    expectHttpError(await send(url, '/api/runs?sort=loss'), 400, 'CONFIG.INVALID', ["Unknown column 'loss'"]);
    expectHttpError(await send(url, '/api/compare?ids=lr-a'), 400, 'CONFIG.INVALID', ['compare needs 2 to 20 runs']);
    expectHttpError(await send(url, '/api/runs/nope'), 404, 'RUN.NOT_FOUND', ["No run 'nope'"]);
  });

  it('serve with a token says how a browser gets in, without printing the token', async () => {
    const url = guarded?.url ?? '';
    await expect.poll(() => guarded?.stderr()).toContain(`open ${url}?token=<your --token or LTLAB_TOKEN> once`);
    expect(guarded?.stderr()).not.toContain(TOKEN);
    expect(open?.stderr()).not.toContain('?token=');
  });
});
