import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { type SeededStore, seededStore } from './seed-store.js';

const TOKEN = 'a-long-test-token-0123456789';

describe('dashboard HTTP API over a seeded store', () => {
  let seeded: SeededStore;
  let open: DashboardHandle;
  let guarded: DashboardHandle;
  const retried: string[][] = [];

  beforeAll(async () => {
    seeded = await seededStore();
    open = await startDashboard({ store: seeded.store, port: 0, uiDir: seeded.dir });
    guarded = await startDashboard({
      store: seeded.store,
      port: 0,
      token: TOKEN,
      uiDir: seeded.dir,
      control: {
        cancel: (ids) => seeded.store.cancelRuns(ids, new Date()),
        retry: async (ids) => {
          retried.push([...ids]);
          return seeded.store.requeueRuns(ids);
        },
      },
    });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
    await seeded?.cleanup();
  });

  const get = async (path: string, base = open.url) => {
    const response = await fetch(new URL(path, base));
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
    };
  };

  it('pages the runs table with a total and stable order', async () => {
    const first = await get(
      '/api/runs?limit=10&sort=hp:method.options.temperature&dir=desc&columns=hp:method.loss,hp:seed',
    );
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(24);
    const rows = first.body.rows as Array<{ run: { id: string }; values: Record<string, unknown> }>;
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.values['hp:method.loss'] !== undefined)).toBe(true);
    const third = await get('/api/runs?limit=10&offset=20&sort=hp:method.options.temperature&dir=desc');
    const lastIds = (third.body.rows as Array<{ run: { id: string } }>).map((row) => row.run.id);
    expect(lastIds).toHaveLength(4);
    const all = new Set([...rows.map((row) => row.run.id), ...lastIds]);
    expect(all.size).toBe(14);
  });

  it('filters by hyperparameter and metric, and sorts by a metric', async () => {
    const filters = JSON.stringify([
      { column: 'hp:method.loss', equals: 'paco' },
      { column: 'eval:val:few', min: 0.3 },
    ]);
    const result = await get(
      `/api/runs?filters=${encodeURIComponent(filters)}&sort=eval:val:few&dir=desc&columns=eval:val:few,hp:method.loss`,
    );
    expect(result.status).toBe(200);
    const rows = result.body.rows as Array<{ values: Record<string, number | string> }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(8);
    expect(
      rows.every((row) => row.values['hp:method.loss'] === 'paco' && Number(row.values['eval:val:few']) >= 0.3),
    ).toBe(true);
    const few = rows.map((row) => Number(row.values['eval:val:few']));
    expect(few).toEqual([...few].sort((a, b) => b - a));
  });

  it('groups by a hyperparameter with mean ± std over seeds', async () => {
    const result = await get(
      '/api/runs/groups?groupBy=method.loss,method.options.temperature&metrics=eval:val:top1&status=succeeded',
    );
    const groups = result.body.groups as Array<{
      key: Record<string, unknown>;
      n: number;
      stats: Record<string, { mean: number; std: number | null; n: number }>;
    }>;
    // paco T=0.3 has no succeeded run (one running, one queued).
    expect(groups).toHaveLength(11);
    const full = groups.filter((g) => g.n === 2);
    expect(full.length).toBeGreaterThanOrEqual(9);
    // The two seeds' values, read row by row, give the group's statistics by hand: for two values
    // a and b the mean is (a + b) / 2 and the sample std (n - 1) is |a - b| / sqrt(2).
    const succeeded = await get(
      `/api/runs?limit=100&filters=${encodeURIComponent(JSON.stringify([{ column: 'run:status', equals: 'succeeded' }]))}&columns=hp:method.loss,hp:method.options.temperature,eval:val:top1`,
    );
    const perRun = succeeded.body.rows as Array<{ values: Record<string, unknown> }>;
    for (const group of full) {
      const seeds = perRun
        .filter(
          (row) =>
            row.values['hp:method.loss'] === group.key['method.loss'] &&
            row.values['hp:method.options.temperature'] === group.key['method.options.temperature'],
        )
        .map((row) => Number(row.values['eval:val:top1']));
      expect(seeds).toHaveLength(2);
      const [a, b] = seeds as [number, number];
      const stats = group.stats['eval:val:top1'];
      expect(stats?.n).toBe(2);
      expect(stats?.mean).toBeCloseTo((a + b) / 2, 10);
      expect(stats?.std).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 10);
      // The seeds differ, so a spread of 0 would be a wrong one.
      expect(stats?.std).toBeGreaterThan(1e-4);
    }
  });

  it('answers validation errors with 400, the code and every bad field', async () => {
    const bad = await get('/api/runs?limit=0&dir=up&bogus=1');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('CONFIG.INVALID');
    expect(bad.body.error?.message).toMatch(/limit/);
    expect(bad.body.error?.message).toMatch(/dir/);
    expect(bad.body.error?.message).toMatch(/bogus/);
    const badFilter = await get(`/api/runs?filters=${encodeURIComponent('[{"column":"hp:x"}]')}`);
    expect(badFilter.status).toBe(400);
    const badJson = await get('/api/runs?filters=%7Bnot-json');
    expect(badJson.body.error?.message).toMatch(/JSON array/);
    const badColumn = await get('/api/runs?sort=loss');
    expect(badColumn.status).toBe(400);
    expect(badColumn.body.error?.message).toMatch(/Unknown column 'loss'/);
    expect((await get('/api/compare?ids=only-one')).status).toBe(400);
    expect((await get('/api/runs/nope')).status).toBe(404);
    expect((await get('/api/sweeps/nope')).body.error?.code).toBe('RUN.NOT_FOUND');
  });

  it('serves the sweep page data: progress, best run, parallel-coordinates points, importance', async () => {
    const { body } = await get('/api/sweeps/sw-fmnist-lt');
    expect(body.counts).toEqual({ queued: 1, running: 1, succeeded: 20, failed: 1, stopped: 0, cancelled: 1 });
    expect(body.swept).toEqual(['method.loss', 'method.options.temperature', 'seed']);
    expect((body.points as unknown[]).length).toBe(24);
    const best = body.best as { objective: number };
    const objectives = (body.points as Array<{ objective: number | null }>).flatMap((p) =>
      p.objective === null ? [] : [p.objective],
    );
    expect(best.objective).toBe(Math.max(...objectives));
    const importance = body.importance as Array<{
      key: string;
      importance: number;
      n: number;
      perGroup: Array<{ value: string; n: number }>;
      model: { method: string; importance: number | null; note: string | null; n: number; r2: number | null };
    }>;
    // The seeded accuracy depends strongly on the loss and not at all on the seed.
    expect(importance[0]?.key).toBe('method.loss');
    expect(importance.find((p) => p.key === 'seed')?.importance).toBeLessThan(0.05);
    // Enough runs for the random forest too: the same ranking, shares summing to 1, each with
    // the runs it was fitted on and how well the forest predicts (out-of-bag R²; the failed,
    // cancelled and running runs' objectives come from fewer epochs, noise the forest cannot fit).
    const share = (key: string) => importance.find((p) => p.key === key)?.model.importance ?? Number.NaN;
    expect(share('method.loss')).toBeGreaterThan(share('method.options.temperature'));
    expect(share('method.loss')).toBeGreaterThan(0.5);
    expect(share('seed')).toBeLessThan(0.05);
    expect(share('method.loss') + share('method.options.temperature') + share('seed')).toBeCloseTo(1, 9);
    for (const p of importance) {
      expect(p.model).toMatchObject({
        method: 'random-forest permutation (out-of-bag)',
        note: null,
        n: objectives.length,
      });
      expect(p.model.r2).toBeGreaterThan(0.2);
      expect(p.perGroup.reduce((sum, g) => sum + g.n, 0)).toBe(p.n);
    }
  });

  it('compares runs with a config diff of only what differs', async () => {
    const [a, b] = [seeded.runIds[0], seeded.runIds[11]];
    const { body } = await get(`/api/compare?ids=${a},${b}`);
    const diff = body.diff as Array<{ key: string; values: unknown[] }>;
    expect(diff.map((d) => d.key)).toEqual(['method.loss', 'method.options.temperature', 'seed']);
    expect((body.runs as unknown[]).length).toBe(2);
  });

  it('exports the filtered table as CSV, the columns of `ltlab runs export` (tests/export-matches-cli.spec.ts)', async () => {
    const response = await fetch(new URL('/api/runs/export.csv?status=failed', open.url));
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toMatch(
      /^id,label,status,attempt,epoch,top1,top5,many,medium,few,objective,error,data\.longTail\.imbalanceFactor,/,
    );
    expect(lines[0]).toContain(',method.loss,');
    expect(lines).toHaveLength(2);
    // The scores are the test evaluation of its last epoch; the objective is val/top1, 0.01 above.
    const failed = lines[1]?.match(
      /^sw-fmnist-lt-r05,ce T=0\.2 seed=2,failed,1,3,([0-9.]+),(?:[0-9.]+,){4}([0-9.]+),TRAIN\.NAN_LOSS: .*,ce,/,
    );
    expect(failed).not.toBeNull();
    expect(Number(failed?.[2]) - Number(failed?.[1])).toBeCloseTo(0.01, 10);
  });

  it('lists workers with their current job', async () => {
    const { body } = await get('/api/workers');
    const workers = body.workers as Array<{ slot: string; currentRun: { id: string } | null; stale: boolean }>;
    expect(workers.map((w) => w.slot)).toEqual(['gpu0', 'gpu1']);
    expect(workers[0]?.currentRun?.id).toBe(seeded.runIds[22]);
    expect(workers[0]?.stale).toBe(false);
  });

  it("lists each worker's data sets as its heartbeat reported them, present or missing", async () => {
    const { body } = await get('/api/workers');
    const workers = body.workers as Array<{ slot: string; dataSources?: Array<Record<string, unknown>> }>;
    expect(workers[0]?.dataSources).toEqual([
      expect.objectContaining({ source: 'fashion-mnist', path: '/data/datasets/fashion-mnist', present: true }),
      expect.objectContaining({
        source: 'cifar100',
        present: false,
        missing: '/data/datasets/cifar-100-binary/fine_label_names.txt',
        via: 'data.root',
      }),
    ]);
    // A heartbeat without the list (a worker older than issue #23) reports none.
    expect(workers[1]?.dataSources).toBeUndefined();
    // A later heartbeat without it keeps what the row had.
    const [first] = await seeded.store.listWorkers();
    if (first === undefined) throw new Error('no worker seeded');
    const { startedAt: _started, heartbeatAt: _beat, dataSources: _sources, ...beat } = first;
    await seeded.store.heartbeatWorker({ ...beat, at: new Date() });
    const again = (await get('/api/workers')).body.workers as Array<{ dataSources?: unknown[] }>;
    expect(again[0]?.dataSources).toHaveLength(2);
  });

  it('enforces the token on every mutating endpoint', async () => {
    const post = (path: string, headers: Record<string, string>, body: unknown = { ids: [seeded.runIds[5]] }) =>
      fetch(new URL(path, guarded.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await post('/api/runs/retry', {})).status).toBe(401);
    expect((await post('/api/runs/cancel', { authorization: 'Bearer wrong-token-wrong-token-x' })).status).toBe(401);
    expect((await post('/api/runs/retry', { 'x-ltlab-token': TOKEN }, { ids: [] })).status).toBe(400);
    const ok = await post('/api/runs/retry', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ retried: 1 });
    expect(retried).toEqual([[seeded.runIds[5]]]);
    const cancel = await post('/api/runs/cancel', { authorization: `Bearer ${TOKEN}` });
    expect(await cancel.json()).toEqual({ cancelled: 1 });
    // Form posts (cross-site) are refused even with no token configured.
    const form = await fetch(new URL('/api/runs/cancel', open.url), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"ids":["x"]}',
    });
    expect(form.status).toBe(415);
    const noQueue = await fetch(new URL('/api/runs/retry', open.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ids":["x"]}',
    });
    expect(noQueue.status).toBe(501);
  });

  it('refuses a non-loopback bind without a token and foreign Host headers on loopback', async () => {
    await expect(startDashboard({ store: seeded.store, host: '0.0.0.0', port: 0 })).rejects.toThrow(/without a token/);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL('/api/health', open.url);
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('streams a change event when the store changes', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('/api/events', open.url), { signal: controller.signal });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (count: number) => {
      while ((text.match(/event: change/g) ?? []).length < count) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value);
      }
    };
    await readUntil(1);
    await seeded.store.cancelRuns([seeded.runIds[23] ?? ''], new Date());
    open.notify();
    await readUntil(2);
    controller.abort();
    expect((text.match(/event: change/g) ?? []).length).toBe(2);
  });
});
