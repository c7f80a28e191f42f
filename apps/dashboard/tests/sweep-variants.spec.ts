import { join } from 'node:path';
import type { PrismaRunStore } from '@ltlab/store';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '../src/index.js';
import { type BrowserSession, openBrowserSession } from './browser-helpers.js';
import { openTempStore, seedVariantsSweep, VARIANT_SWEPT_KEYS } from './seed-store.js';

const SWEEP = 'sw-variants';

interface SweepBody {
  swept: string[];
  points: Array<{ label: string; values: Record<string, unknown> }>;
  importance: Array<{
    key: string;
    importance: number | null;
    note: string | null;
    perGroup: Array<{ value: string; n: number }>;
    model: { method: string; importance: number | null; note: string | null; n: number; r2: number | null };
  }>;
}

/** Pixels a chart's canvas has drawn (not transparent, not white): 0 for a blank chart. */
async function inkedPixels(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((element) => {
    const canvas = element.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (canvas === null || canvas === undefined || context === null || context === undefined) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
      if (a > 0 && (r < 240 || g < 240 || b < 240)) inked++;
    }
    return inked;
  });
}

describe('sweep page of a sweep built from variants (the main job), in headless Chromium', () => {
  let temp: { store: PrismaRunStore; cleanup(): Promise<void> };
  let session: BrowserSession;
  let dashboard: DashboardHandle;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    temp = await openTempStore();
    await seedVariantsSweep(temp.store, SWEEP);
    session = await openBrowserSession(temp.store);
    ({ dashboard, page, pageErrors } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
  });

  it('serves the swept leaves, and says importance cannot be estimated with one run per method', async () => {
    const body = (await (await fetch(new URL(`/api/sweeps/${SWEEP}`, dashboard.url))).json()) as SweepBody;
    expect([...body.swept].sort()).toEqual([...VARIANT_SWEPT_KEYS].sort());
    const ce = body.points.find((p) => p.label === 'ce');
    expect(ce?.values).toMatchObject({ 'method.loss': 'cross-entropy', 'method.options.beta': null });
    const byKey = new Map(body.importance.map((p) => [p.key, p]));
    expect(byKey.get('method.loss')).toMatchObject({
      importance: null,
      note: 'one run per value: importance cannot be estimated',
    });
    expect(byKey.get('method.loss')?.perGroup.map((g) => g.n)).toEqual([1, 1, 1, 1]);
    // LDAM alone sets s: its 1 run against the 3 without, an estimate shown with its n.
    expect(byKey.get('method.options.s')?.perGroup).toEqual([
      { value: '—', n: 3, mean: expect.any(Number) },
      { value: '1', n: 1, mean: 0.601 },
    ]);
    expect(byKey.get('method.options.s')?.importance).toBeGreaterThan(0);
    // Estimable parameters first, the unestimable one last.
    expect(body.importance.at(-1)?.key).toBe('method.loss');
    // Four runs are too few for the random forest: no value, the reason, and the runs it had.
    for (const p of body.importance)
      expect(p.model).toEqual({
        method: 'random-forest permutation (out-of-bag)',
        importance: null,
        note: '4 runs with an objective: a model-based importance needs at least 10',
        n: 4,
        r2: null,
      });
  });

  it('draws parallel coordinates, importance with n per group and objective vs a leaf', async () => {
    await page.goto(`${dashboard.url}#/sweeps/${SWEEP}`);
    const parallel = page.getByTestId('parallel-coordinates');
    await parallel.waitFor();
    // One line per run, on one axis per swept leaf (the runs table shows the same columns).
    expect(await parallel.getAttribute('data-point-count')).toBe('4');
    const headers = await page.getByTestId('sweep-runs').locator('th').allTextContents();
    expect(headers.slice(2, -1)).toEqual([
      'method.loss',
      ...[...VARIANT_SWEPT_KEYS].filter((k) => k !== 'method.loss').sort(),
    ]);
    await expect.poll(() => inkedPixels(page, 'parallel-coordinates')).toBeGreaterThan(2000);

    const rows = page.getByTestId('importance-row');
    await expect.poll(() => rows.count()).toBe(VARIANT_SWEPT_KEYS.length);
    const loss = rows.filter({ hasText: 'method.loss' });
    expect(await loss.getByTestId('importance-value').textContent()).toBe(
      'one run per value: importance cannot be estimated',
    );
    expect(await loss.getByTestId('importance-groups').textContent()).toBe(
      'cross-entropy n=1 · balanced-softmax n=1 · ldam n=1 · reslt n=1',
    );
    const s = rows.filter({ hasText: 'method.options.s' });
    expect(await s.getByTestId('importance-value').textContent()).toMatch(/^0\.\d{3}$/);
    expect(await s.getByTestId('importance-groups').textContent()).toBe('— n=3 · 1 n=1');
    expect(await s.getByTestId('importance-model').textContent()).toBe(
      '4 runs with an objective: a model-based importance needs at least 10',
    );
    const chart = page.getByTestId('importance');
    // Two bars a parameter (η², forest share: none here) for each parameter η² could estimate.
    expect(await chart.getAttribute('data-series-names')).toBe('η²|forest share');
    expect(await chart.getAttribute('data-point-count')).toBe(String(2 * (VARIANT_SWEPT_KEYS.length - 1)));
    await expect.poll(() => inkedPixels(page, 'importance')).toBeGreaterThan(500);

    const scatter = page.getByTestId('param-scatter');
    expect(await page.getByTestId('scatter-key').inputValue()).toBe('method.loss');
    expect(await scatter.getAttribute('data-point-count')).toBe('4');
    await expect.poll(() => inkedPixels(page, 'param-scatter')).toBeGreaterThan(500);
    // A leaf only ResLT sets: the other three runs sit at "—" instead of breaking the chart.
    await page.getByTestId('scatter-key').selectOption('method.options.beta');
    expect(await scatter.getAttribute('data-series-names')).toBe('method.options.beta');
    expect(await scatter.getAttribute('data-point-count')).toBe('4');
    if (process.env.LTLAB_SCREENSHOTS !== undefined) {
      await page.waitForTimeout(1500); // the scatter's symbols grow in
      await page.screenshot({ path: join(process.env.LTLAB_SCREENSHOTS, 'sweep-variants.png'), fullPage: true });
    }
    expect(pageErrors).toEqual([]);
  });

  it('gives the runs table a column per swept leaf, empty where a run lacks it', async () => {
    await page.goto(`${dashboard.url}#/runs?sweep=${SWEEP}`);
    await page.getByTestId('runs-total').filter({ hasText: '4 runs' }).waitFor();
    const headers = (await page.getByTestId('runs-table').locator('th').allTextContents()).map((h) =>
      h.replace(/ [▲▼]$/, ''),
    );
    for (const key of VARIANT_SWEPT_KEYS) expect(headers).toContain(key);
    const column = headers.indexOf('method.options.beta');
    const cells = page.getByTestId('run-row').locator(`td:nth-child(${column + 1})`);
    expect(await cells.allTextContents()).toEqual(['—', '—', '—', '0.99']);
    const loss = page.getByTestId('run-row').locator(`td:nth-child(${headers.indexOf('method.loss') + 1})`);
    expect(await loss.allTextContents()).toEqual(['cross-entropy', 'balanced-softmax', 'ldam', 'reslt']);
    expect(pageErrors).toEqual([]);
  });
});
