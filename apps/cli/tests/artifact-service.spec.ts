import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type DashboardHandle, startDashboard } from '@ltlab/dashboard';
import { HttpArtifactStore, LocalArtifactStore } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'artifact-test-token-0123456789';
const RUN = 'sw-artifacts-00000000-0123456789ab';
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A request exactly as given: fetch and URL would resolve `..` before it leaves. */
function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; body: string }> {
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
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the artifact service of ltlab serve', () => {
  let dir: string;
  let store: PrismaRunStore;
  let backend: LocalArtifactStore;
  let dashboard: DashboardHandle;
  const handles: DashboardHandle[] = [];

  const start = async (
    options: { port?: number; readOnly?: boolean; gate?: Promise<void>; onUpload?: () => void } = {},
  ) => {
    const { gate, onUpload } = options;
    // The gated backend holds an upload after its first chunk, so the test can stop the server mid-upload.
    const served =
      gate === undefined
        ? backend
        : Object.assign(Object.create(backend) as LocalArtifactStore, {
            putStream: (runId: string, relPath: string, source: NodeJS.ReadableStream, opts: object) => {
              const held = new PassThrough();
              let first = true;
              source.on('data', (chunk: Buffer) => {
                held.write(chunk);
                if (first) {
                  first = false;
                  source.pause();
                  onUpload?.();
                  void gate.then(() => source.resume());
                }
              });
              source.on('end', () => held.end());
              // The store's pipeline reports the cut; this listener only keeps the test's relay quiet.
              held.on('error', () => undefined);
              source.on('error', (error) => held.destroy(error));
              return backend.putStream(runId, relPath, held, opts);
            },
          });
    const handle = await startDashboard({
      store,
      port: options.port ?? 0,
      token: TOKEN,
      artifacts: { backend: served, maxBytes: 32 * 1024 * 1024 },
      ...(options.readOnly === true ? { readOnly: true } : {}),
    });
    handles.push(handle);
    return handle;
  };
  const client = (url: string, attempts = 8) =>
    new HttpArtifactStore({ url, token: TOKEN, attempts, baseDelayMs: 100, maxDelayMs: 1_000 });
  const file = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-artifact-service-'));
    store = await openRunStore({ target: { provider: 'sqlite', url: `file:${join(dir, 'ltlab.db')}` }, migrate: true });
    backend = new LocalArtifactStore(join(dir, 'control-artifacts'));
    dashboard = await start();
  });

  afterAll(async () => {
    for (const handle of handles) await handle.close().catch(() => undefined);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a multi-MB checkpoint with its sha256', async () => {
    const data = randomBytes(12 * 1024 * 1024 + 5);
    const http = client(dashboard.url);
    const stored = await http.put(RUN, 'checkpoints/epoch-00001.ckpt', file('up.ckpt', data));
    expect(stored).toEqual({ sha256: sha(data), sizeBytes: data.length });
    expect(readFileSync(backend.pathOf(RUN, 'checkpoints/epoch-00001.ckpt')).equals(data)).toBe(true);
    expect(await http.list(RUN)).toEqual([
      { path: 'checkpoints/epoch-00001.ckpt', sizeBytes: data.length, sha256: sha(data) },
    ]);
    const dest = join(dir, 'worker-b', RUN, 'checkpoints', 'epoch-00001.ckpt');
    expect(await http.get(RUN, 'checkpoints/epoch-00001.ckpt', dest, sha(data))).toEqual(stored);
    expect(readFileSync(dest).equals(data)).toBe(true);
    expect(await http.delete(RUN, 'checkpoints/epoch-00001.ckpt')).toBe(true);
    expect(await http.list(RUN)).toEqual([]);
  });

  it('rejects a corrupted upload with 422, publishing nothing and keeping the previous version', async () => {
    const good = Buffer.from('the previous best checkpoint');
    await client(dashboard.url).put(RUN, 'checkpoints/best.ckpt', file('best', good));
    const sent = Buffer.from('bytes damaged on the way');
    const answer = await raw(dashboard.url, `/api/artifacts/${RUN}/checkpoints/best.ckpt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-ltlab-sha256': sha(Buffer.from('what was meant')) },
      body: sent,
    });
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'CHECKPOINT.CORRUPT' } });
    expect(readFileSync(backend.pathOf(RUN, 'checkpoints/best.ckpt')).equals(good)).toBe(true);
    expect(readdirSync(join(backend.root, RUN, 'checkpoints')).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it.each([
    `/api/artifacts/${RUN}/../other/x`,
    `/api/artifacts/${RUN}/%2e%2e/%2e%2e/etc/passwd`,
    `/api/artifacts/${RUN}/checkpoints%2F..%2F..%2Fx`,
    `/api/artifacts/${RUN}//etc/passwd`,
    '/api/artifacts/../x',
    `/api/artifacts/${RUN}/a%5Cb`,
    `/api/artifacts/${RUN}`,
  ])('refuses the traversal %s with 400', async (path) => {
    for (const method of ['GET', 'PUT']) {
      const answer = await raw(dashboard.url, path, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'x-ltlab-sha256': sha(Buffer.from('x')) },
        body: Buffer.from('x'),
      });
      expect(answer.status, `${method} ${path}: ${answer.body}`).toBe(400);
    }
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });

  it('answers 401 without the token and 403 for changes on a read-only server', async () => {
    const path = `/api/artifacts/${RUN}/checkpoints/epoch-00009.ckpt`;
    const put = { method: 'PUT', headers: { 'x-ltlab-sha256': sha(Buffer.from('x')) }, body: Buffer.from('x') };
    expect((await raw(dashboard.url, path, put)).status).toBe(401);
    expect((await raw(dashboard.url, `/api/artifacts/${RUN}/`)).status).toBe(401);
    await expect(new HttpArtifactStore({ url: dashboard.url, attempts: 3 }).list(RUN)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringContaining('401'),
    });
    const viewer = await start({ readOnly: true });
    const refused = await raw(viewer.url, path, {
      ...put,
      headers: { ...put.headers, authorization: `Bearer ${TOKEN}` },
    });
    expect(refused.status).toBe(403);
    expect(existsSync(backend.pathOf(RUN, 'checkpoints/epoch-00009.ckpt'))).toBe(false);
  });

  it('refuses an upload over the size limit with 413', async () => {
    await expect(
      client(dashboard.url).put(RUN, 'big', file('big', Buffer.alloc(33 * 1024 * 1024))),
    ).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringContaining('413'),
    });
    expect(existsSync(backend.pathOf(RUN, 'big'))).toBe(false);
  });

  it('retries an upload cut off by a server restart, with backoff, until the server is back', async () => {
    let release: () => void = () => undefined;
    let uploading: () => void = () => undefined;
    const midUpload = new Promise<void>((resolve) => {
      uploading = resolve;
    });
    const gated = await start({
      gate: new Promise<void>((resolve) => {
        release = resolve;
      }),
      onUpload: () => uploading(),
    });
    const port = Number(new URL(gated.url).port);
    const data = randomBytes(8 * 1024 * 1024);
    const logs: string[] = [];
    const http = new HttpArtifactStore({
      url: gated.url,
      token: TOKEN,
      attempts: 10,
      baseDelayMs: 200,
      maxDelayMs: 1_000,
      log: (line) => logs.push(line),
    });
    const upload = http.put(RUN, 'checkpoints/epoch-00002.ckpt', file('restart.ckpt', data));
    await midUpload;
    await gated.close();
    release();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await start({ port });
    expect(await upload).toEqual({ sha256: sha(data), sizeBytes: data.length });
    expect(readFileSync(backend.pathOf(RUN, 'checkpoints/epoch-00002.ckpt')).equals(data)).toBe(true);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs[0]).toMatch(/upload .*epoch-00002\.ckpt try 1 of 10 failed .*next in/);
    expect(readdirSync(join(backend.root, RUN, 'checkpoints')).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('fails coded once its attempts are spent when the server stays away', async () => {
    const gone = await start();
    await gone.close();
    const started = Date.now();
    await expect(
      new HttpArtifactStore({ url: gone.url, token: TOKEN, attempts: 3, baseDelayMs: 200, maxDelayMs: 1_000 }).put(
        RUN,
        'checkpoints/epoch-00003.ckpt',
        file('never.ckpt', Buffer.from('x')),
      ),
    ).rejects.toMatchObject({
      code: 'CHECKPOINT.UNAVAILABLE',
      retryable: true,
      message: expect.stringContaining('3 tries'),
    });
    // Two waits of backoff: at least half of 200 ms and of 400 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
