import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { type SeededStore, seededStore } from './seed-store.js';

const TOKEN = 'a-long-test-token-0123456789';
const STACK_LINE = /\n\s+at .+:\d+:\d+\)?/;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request exactly as given (fetch would normalise the path and refuse to set Host). */
function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          // The event stream never ends: its first message is enough.
          if (res.headers['content-type'] === 'text/event-stream') res.destroy();
        });
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function errorOf(response: RawResponse): { code: string; message: string; fix?: string } {
  expect(response.headers['content-type'], response.body).toMatch(/^application\/json/);
  const parsed = JSON.parse(response.body) as { error?: { code: string; message: string; fix?: string } };
  if (parsed.error === undefined) throw new Error(`no error in ${response.body}`);
  return parsed.error;
}

/** Every read endpoint, with valid parameters: each answers 200 given the token. */
const READS = [
  '/api/sweeps',
  '/api/sweeps/sw-fmnist-lt',
  '/api/runs?sweep=sw-fmnist-lt',
  '/api/runs/sw-fmnist-lt-r05',
  '/api/runs/groups?groupBy=method.loss&metrics=eval:val:top1',
  '/api/runs/groups/curves?groupBy=method.loss&series=metric:val:top1',
  '/api/columns?sweep=sw-fmnist-lt',
  '/api/columns/varying?sweep=sw-fmnist-lt',
  '/api/runs/export.csv?sweep=sw-fmnist-lt',
  '/api/compare?ids=sw-fmnist-lt-r00,sw-fmnist-lt-r01',
  '/api/workers',
  '/api/events',
];

describe('dashboard HTTP security', () => {
  let seeded: SeededStore;
  let open: DashboardHandle;
  let guarded: DashboardHandle;
  let uiDir: string;

  beforeAll(async () => {
    seeded = await seededStore();
    uiDir = mkdtempSync(join(tmpdir(), 'ltlab-ui-fixture-'));
    mkdirSync(join(uiDir, 'assets'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><script type="module" src="./assets/a.js"></script>');
    writeFileSync(join(uiDir, 'assets', 'a.js'), `console.log(${JSON.stringify('x'.repeat(4096))});`);
    open = await startDashboard({ store: seeded.store, port: 0, uiDir, pollMs: 200 });
    guarded = await startDashboard({
      store: seeded.store,
      port: 0,
      uiDir,
      pollMs: 200,
      token: TOKEN,
      control: { cancel: async (ids) => ids.length, retry: async (ids) => ids.length },
    });
  }, 60_000);

  afterAll(async () => {
    await open?.close();
    await guarded?.close();
    await seeded?.cleanup();
    if (uiDir !== undefined) rmSync(uiDir, { recursive: true, force: true });
  });

  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('sends CSP, frame, sniffing and referrer headers with every kind of response', async () => {
    const responses = [
      await raw(open.url, '/'),
      await raw(open.url, '/assets/a.js', { headers: { 'accept-encoding': 'gzip' } }),
      await raw(open.url, '/api/health'),
      await raw(open.url, '/api/runs?limit=0'),
      await raw(open.url, '/api/nope'),
      await raw(open.url, '/api/runs/export.csv?status=failed'),
      await raw(open.url, '/api/events'),
      await raw(open.url, '/api/health', { headers: { host: 'evil.example' } }),
      await raw(open.url, '/api/health', { method: 'DELETE' }),
      await raw(guarded.url, '/api/runs'),
      await raw(guarded.url, `/?token=${TOKEN}`),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 400, 404, 200, 200, 403, 405, 401, 303]);
    for (const response of responses) {
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('with a token, every read but /api/health answers 401 JSON without it, and 200 with it', async () => {
    for (const path of READS) {
      const refused = await raw(guarded.url, path);
      expect(refused.status, path).toBe(401);
      const error = errorOf(refused);
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.fix).toMatch(/\?token=/);
      expect(refused.body).not.toContain('sw-fmnist-lt-r');
      const wrong = await raw(guarded.url, path, { headers: { authorization: 'Bearer wrong-token-wrong-token-x' } });
      expect(wrong.status, path).toBe(401);
      const allowed = await raw(guarded.url, path, { headers: bearer });
      expect(allowed.status, `${path}: ${allowed.body.slice(0, 200)}`).toBe(200);
    }
    const health = await raw(guarded.url, '/api/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true, tokenRequired: true, queue: true, readOnly: false });
    // The UI's files hold no data: they load, and the pages then ask for the token.
    expect((await raw(guarded.url, '/')).status).toBe(200);
  });

  it('a browser opens the dashboard once with ?token=: an HttpOnly SameSite=Strict cookie and a clean URL', async () => {
    const login = await raw(guarded.url, `/?token=${TOKEN}&view=1`);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/?view=1');
    expect(login.headers['cache-control']).toBe('no-store');
    const [cookie = ''] = login.headers['set-cookie'] ?? [];
    expect(cookie).toMatch(/^ltlab_session_\d+=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0] ?? '';
    for (const path of READS)
      expect((await raw(guarded.url, path, { headers: { cookie: session } })).status, path).toBe(200);

    // Behind a TLS proxy the cookie is Secure; a path of two slashes never leaves the site.
    const tls = await raw(guarded.url, `/.//evil.example/?token=${TOKEN}`, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(tls.headers.location).toBe('/evil.example/');
    expect(tls.headers['set-cookie']?.[0]).toMatch(/; Secure$/);

    const wrong = await raw(guarded.url, '/?token=wrong-token-wrong-token-x');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // Without a token configured, ?token= is only taken out of the URL.
    const plain = await raw(open.url, '/?token=anything');
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe('/');
    expect(plain.headers['set-cookie']).toBeUndefined();
  });

  it('a change by cookie must come from the dashboard itself (Origin); by header it need not', async () => {
    const login = await raw(guarded.url, `/?token=${TOKEN}`);
    const session = (login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const self = new URL(guarded.url).origin;
    const post = (headers: Record<string, string>) =>
      raw(guarded.url, '/api/runs/cancel', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ ids: ['sw-fmnist-lt-r00'] }),
      });
    expect((await post({ cookie: session, origin: self })).status).toBe(200);
    const noOrigin = await post({ cookie: session });
    expect(noOrigin.status).toBe(403);
    expect(errorOf(noOrigin).code).toBe('FORBIDDEN');
    expect((await post({ cookie: session, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({})).status).toBe(401);
    expect((await post(bearer)).status).toBe(200);
    // Without a token, a cross-site page still cannot post (its Origin is not this server).
    const cross = await raw(open.url, '/api/runs/cancel', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ ids: ['sw-fmnist-lt-r00'] }),
    });
    expect(cross.status).toBe(403);
    expect((await seeded.store.getRun('sw-fmnist-lt-r00'))?.status).toBe('succeeded');
  });

  it('on loopback, a rebinding Host (127.0.0.1.evil.example) is refused with a coded JSON error, reads and changes', async () => {
    for (const host of ['127.0.0.1.evil.example', '127.0.0.1.evil.example:80', 'evil.example', '[::1', 'a@b']) {
      const read = await raw(open.url, '/api/runs', { headers: { host } });
      expect(read.status, host).toBe(403);
      const error = errorOf(read);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(/not a loopback name/);
      expect(error.fix).toMatch(/127\.0\.0\.1/);
    }
    const cancel = await raw(open.url, '/api/runs/cancel', {
      method: 'POST',
      headers: { host: '127.0.0.1.evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ['sw-fmnist-lt-r01'] }),
    });
    expect(cancel.status).toBe(403);
    expect((await seeded.store.getRun('sw-fmnist-lt-r01'))?.status).toBe('succeeded');
    for (const host of ['127.0.0.1', 'localhost', '127.0.0.1:7420', 'LOCALHOST:1'])
      expect((await raw(open.url, '/api/health', { headers: { host } })).status, host).toBe(200);
  });

  it('a malformed %-escape in the path or the query is a 400 with a coded error, not a 500', async () => {
    for (const path of [
      '/api/runs/%E0%A4%A',
      '/api/sweeps/%zz',
      '/api/runs?sweep=%E0%A4%A',
      '/api/runs?%E0%A4%A=1',
      '/api/compare?ids=a,%',
      '/api/runs/export.csv?sweep=%FF',
      '/%E0%A4%A',
      '/assets/%C0%AF',
    ]) {
      const response = await raw(open.url, path);
      expect(response.status, path).toBe(400);
      const error = errorOf(response);
      expect(error.code).toBe('CONFIG.INVALID');
      expect(error.message).toMatch(/malformed %-escape/);
      expect(response.body).not.toMatch(STACK_LINE);
    }
    const post = await raw(open.url, '/api/runs/%E0%A4%A', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ids":["x"]}',
    });
    expect(post.status).toBe(400);
  });

  it('no endpoint answers 500 or a stack trace to bad parameters', async () => {
    const long = 'x'.repeat(5000);
    const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(',');
    const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));
    const manyFilters = json(Array.from({ length: 50 }, (_, i) => ({ column: `hp:k${i}`, min: 0 })));
    const manyKeys = many(24, (i) => `k${i}`);
    const manyMetrics = many(20, (i) => `metric:s${i}:m${i}`);
    const reads = [
      '/api/runs?limit=-1',
      '/api/runs?limit=abc',
      '/api/runs?limit=1e9',
      '/api/runs?limit=1.5',
      '/api/runs?offset=-5',
      '/api/runs?offset=NaN',
      '/api/runs?dir=sideways',
      '/api/runs?sort=hp:',
      `/api/runs?sort=${encodeURIComponent("hp:x'); DROP TABLE runs; --")}`,
      '/api/runs?sort=metric:val',
      '/api/runs?sort=eval:val:recall',
      `/api/runs?columns=${long}`,
      `/api/runs?columns=${many(101, (i) => `hp:k${i}`)}`,
      '/api/runs?filters=[]',
      '/api/runs?filters={}',
      '/api/runs?filters=null',
      `/api/runs?filters=${json([{ column: 'hp:seed', min: 'a' }])}`,
      `/api/runs?filters=${json([{ column: 'run:status', min: 1 }])}`,
      `/api/runs?filters=${json([{ column: 'eval:nosplit:top1', equals: 'x' }])}`,
      `/api/runs?filters=${json([{ column: 'hp:seed', in: [] }])}`,
      `/api/runs?filters=${manyFilters}&columns=${many(100, (i) => `hp:c${i}`)}&sort=hp:z`,
      `/api/runs?filters=${json(Array.from({ length: 51 }, () => ({ column: 'hp:seed', min: 0 })))}`,
      '/api/runs?status=bogus',
      '/api/runs?status=',
      `/api/runs?ids=${many(1001, (i) => `r${i}`)}`,
      '/api/runs?sweep=',
      `/api/runs?sweep=${long}`,
      '/api/runs?bogus=1',
      '/api/runs?token=x',
      `/api/runs/groups?groupBy=${manyKeys}&metrics=${manyMetrics}&filters=${manyFilters}`,
      `/api/runs/groups?groupBy=${many(25, (i) => `k${i}`)}&metrics=eval:val:top1`,
      '/api/runs/groups?groupBy=method.loss',
      '/api/runs/groups?groupBy=method.loss&metrics=',
      '/api/runs/groups?metrics=nope',
      `/api/runs/groups?groupBy=${manyKeys}&metrics=${manyMetrics}&columns=x`,
      '/api/runs/groups/curves?groupBy=method.loss',
      '/api/runs/groups/curves?series=metric:val',
      '/api/runs/groups/curves?series=eval:val:top1',
      `/api/runs/groups/curves?groupBy=${manyKeys}&series=metric:val:top1&filters=${manyFilters}`,
      '/api/columns?sweep=',
      '/api/columns?bogus=1',
      '/api/columns/varying?sort=x',
      `/api/columns/varying?filters=${manyFilters}`,
      '/api/runs/export.csv?sort=nope',
      '/api/runs/export.csv?columns=hp:seed',
      '/api/runs/export.csv?dir=up',
      `/api/runs/export.csv?filters=${manyFilters}&sort=hp:z`,
      '/api/compare',
      '/api/compare?ids=one',
      '/api/compare?ids=a,b',
      `/api/compare?ids=${many(21, (i) => `r${i}`)}`,
      '/api/compare?ids=,,',
      '/api/sweeps?x=1',
      `/api/sweeps/${long}`,
      '/api/sweeps/%00',
      `/api/runs/${long}`,
      '/api/runs/..%2F..%2Fetc%2Fpasswd',
      '/api/runs/%00',
      '/api/runs/a/b',
      '/api/workers?x=1',
      '/api/nope',
      '/..%2F..%2Fetc%2Fpasswd',
      '/%00',
    ];
    for (const path of reads) {
      const response = await raw(open.url, path);
      expect(response.status, `${path.slice(0, 120)}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
      expect(response.body, path).not.toMatch(STACK_LINE);
      if (response.status >= 400) expect(errorOf(response).code, path).toMatch(/^[A-Z_.]+$/);
    }
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      raw(open.url, '/api/runs/cancel', { method: 'POST', headers, body });
    const bodies = [
      await post('not json'),
      await post('{"ids":"x"}'),
      await post('{"ids":[]}'),
      await post('{"ids":[1]}'),
      await post('{"ids":["x"],"extra":1}'),
      await post('[]'),
      await post(''),
      await post(JSON.stringify({ ids: Array.from({ length: 10_001 }, (_, i) => `r${i}`) })),
      await post(`{"ids":["${'x'.repeat(1 << 20)}"]}`),
      await post('{"ids":["x"]}', { 'content-type': 'text/plain' }),
      await raw(open.url, '/api/nope', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"ids":["x"]}',
      }),
      await raw(open.url, '/api/runs', { method: 'PUT' }),
      await raw(open.url, '/api/runs', { method: 'OPTIONS' }),
    ];
    for (const response of bodies) {
      expect(response.status, response.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(response.status, response.body.slice(0, 300)).toBeLessThan(500);
      expect(response.body).not.toMatch(STACK_LINE);
      expect(errorOf(response).code).toMatch(/^[A-Z_.]+$/);
    }
  });
});
