import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { openTempStore, seedSweep, seedVariantsSweep } from './seed-store.js';

/** The API behind "group by everything except seed" and its mean ± std curves. */
describe('grouping API', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let dashboard: DashboardHandle;

  beforeAll(async () => {
    temp = await openTempStore();
    await seedSweep(temp.store);
    await seedVariantsSweep(temp.store);
    dashboard = await startDashboard({ store: temp.store, port: 0, uiDir: temp.dir });
  });
  afterAll(async () => {
    await dashboard?.close();
    await temp?.cleanup();
  });

  const get = async (path: string) => {
    const response = await fetch(new URL(path, dashboard.url));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists the hyperparameters that differ between the runs of a view', async () => {
    expect((await get('/api/columns/varying?sweep=sw-fmnist-lt')).body).toEqual({
      keys: ['method.loss', 'method.options.temperature', 'seed'],
      runs: 24,
    });
    const paco = encodeURIComponent(JSON.stringify([{ column: 'hp:method.loss', equals: 'paco' }]));
    expect((await get(`/api/columns/varying?sweep=sw-fmnist-lt&filters=${paco}`)).body.keys).toEqual([
      'method.options.temperature',
      'seed',
    ]);
    // A key only some runs have differs too: LDAM's s against CE, which has none.
    const variants = (await get('/api/columns/varying?sweep=sw-variants')).body.keys as string[];
    expect(variants).toContain('method.options.s');
    expect(variants).not.toContain('optimizer.lr');
    // Across sweeps, keys of one sweep's base config differ from the other's: only sw-fmnist-lt
    // holds out a validation split.
    expect((await get('/api/columns/varying')).body.keys).toContain('data.validation.perClass');
  });

  it('groups by no key into one group of every run', async () => {
    const { body } = await get('/api/runs/groups?sweep=sw-fmnist-lt&metrics=eval:val:top1');
    expect(body.groups).toEqual([expect.objectContaining({ key: {}, n: 24 })]);
  });

  it('aggregates a metric series per group and epoch', async () => {
    const { status, body } = await get(
      '/api/runs/groups/curves?sweep=sw-fmnist-lt&groupBy=method.loss,method.options.temperature&series=metric:val:top1&status=succeeded',
    );
    expect(status).toBe(200);
    const groups = body.groups as Array<{
      key: Record<string, unknown>;
      n: number;
      points: Array<{ epoch: number; n: number }>;
    }>;
    expect(body.runs).toBe(20);
    expect(groups).toHaveLength(11);
    const paco05 = groups.find((g) => g.key['method.loss'] === 'paco' && g.key['method.options.temperature'] === 0.05);
    expect(paco05?.n).toBe(2);
    expect(paco05?.points.map((p) => [p.epoch, p.n])).toEqual(Array.from({ length: 8 }, (_, e) => [e + 1, 2]));
  });

  it('refuses a series that is not a metric, naming it', async () => {
    const bad = await get('/api/runs/groups/curves?groupBy=method.loss&series=eval:val:top1');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/metric:<split>:<name>/);
  });
});
