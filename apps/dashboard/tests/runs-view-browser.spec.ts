import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowserSession, pixelsOfColour, screenshot, translucent } from './browser-helpers.js';
import { FMNIST_EPOCHS, FMNIST_SEEDS, openTempStore, seedFashionMnistSweep, seedSweep } from './seed-store.js';

/** What a runs view shows, read off the page: equal snapshots mean the same view. */
async function snapshot(page: Page) {
  const rows = page.getByTestId('run-row');
  return {
    total: await page.getByTestId('runs-total').textContent(),
    status: await page.getByTestId('status-filter').inputValue(),
    group: await page.getByTestId('group-by').inputValue(),
    chips: await page.getByTestId('filter-chip').allTextContents(),
    headers: await page.getByTestId('runs-table').locator('th').allTextContents(),
    labels: await rows.locator('td:nth-child(2)').allTextContents(),
    groupTitle: await page.getByTestId('group-title').textContent(),
    groups: await page.getByTestId('group-row').allTextContents(),
  };
}

describe('runs page views in headless Chromium', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let session: BrowserSession;

  beforeAll(async () => {
    temp = await openTempStore();
    await seedSweep(temp.store);
    await seedFashionMnistSweep(temp.store);
    session = await openBrowserSession(temp.store);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
  });

  it('keeps filters, status, sort, grouping and columns in the URL: a reload and a shared link show the same view', async () => {
    const { page, dashboard } = session;
    await page.goto(`${dashboard.url}#/runs?sweep=sw-fmnist-lt`);
    await page.getByTestId('runs-total').filter({ hasText: '24 runs' }).waitFor();

    await page.getByTestId('filter-column').selectOption('hp:method.loss');
    await page.getByTestId('filter-value').fill('paco');
    await page.getByTestId('filter-add').click();
    await page.getByTestId('runs-total').filter({ hasText: '8 runs' }).waitFor();
    await page.getByTestId('status-filter').selectOption('succeeded');
    await page.getByTestId('runs-total').filter({ hasText: '5 runs' }).waitFor();
    await page.getByTestId('sort-eval:val:few').click();
    await page.getByTestId('sort-eval:val:few').click();
    await expect.poll(() => page.getByTestId('sort-eval:val:few').textContent()).toBe('val few ▼');
    await page.getByTestId('columns-button').click();
    const chooser = page.getByTestId('column-chooser');
    await chooser.getByLabel('train loss', { exact: true }).check();
    await chooser.getByLabel('objective', { exact: true }).uncheck();
    await page.getByTestId('group-by').selectOption('all-but-seeds');
    await page.getByTestId('group-row').first().waitFor();

    const before = await snapshot(page);
    // Within paco's succeeded runs only the temperature varies: T=0.05 and 0.1 with both seeds, T=0.2 with one.
    expect(before.groupTitle).toContain('everything except seeds (method.options.temperature)');
    expect(before.groups).toHaveLength(3);
    expect(before.headers).toContain('train loss');
    expect(before.headers).not.toContain('objective');
    expect(before.chips).toEqual(['method.loss = paco ×']);
    const fewColumn = before.headers.indexOf('val few ▼') + 1;
    const few = (await page.getByTestId('run-row').locator(`td:nth-child(${fewColumn})`).allTextContents()).map(Number);
    expect(few).toEqual([...few].sort((a, b) => b - a));

    const url = page.url();
    const hash = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    expect(JSON.parse(hash.get('filters') ?? '[]')).toEqual([{ column: 'hp:method.loss', equals: 'paco' }]);
    expect(Object.fromEntries([...hash].filter(([key]) => key !== 'filters' && key !== 'columns'))).toEqual({
      sweep: 'sw-fmnist-lt',
      status: 'succeeded',
      sort: 'eval:val:few',
      dir: 'desc',
      group: 'all-but-seeds',
    });
    expect(hash.get('columns')?.split(',')).toContain('metric:train:loss');

    await page.reload();
    await page.getByTestId('runs-total').filter({ hasText: '5 runs' }).waitFor();
    await expect.poll(() => page.getByTestId('group-row').count()).toBe(3);
    expect(await snapshot(page)).toEqual(before);
    expect(page.url()).toBe(url);

    // The link shared with a colleague: a fresh page opens the same view.
    const other = await session.newPage();
    await other.goto(url);
    await other.getByTestId('runs-total').filter({ hasText: '5 runs' }).waitFor();
    await expect.poll(() => other.getByTestId('group-row').count()).toBe(3);
    expect(await snapshot(other)).toEqual(before);
    await screenshot(other, 'runs-view-shared.png');
    await other.close();

    // Removing the filter is part of the view too.
    await page.getByRole('button', { name: 'remove filter method.loss = paco' }).click();
    await page.getByTestId('runs-total').filter({ hasText: '20 runs' }).waitFor();
    expect(page.url()).not.toContain('filters=');
    expect(session.pageErrors).toEqual([]);
  });

  it('groups by everything except seed and draws each group as its mean with a ± std band', async () => {
    const { page, dashboard } = session;
    await page.goto(`${dashboard.url}#/runs?sweep=sw-fmnist-names`);
    await page.getByTestId('runs-total').filter({ hasText: '6 runs' }).waitFor();
    await page.getByTestId('group-by').selectOption('all-but-seeds');
    const rows = page.getByTestId('group-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByTestId('group-title').textContent()).toContain('everything except seeds (method.loss)');
    expect(await rows.locator('td:nth-child(1)').allTextContents()).toEqual(['balanced-softmax', 'cross-entropy']);
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(['3', '3']);
    for (const text of await rows.locator('td:nth-child(3)').allTextContents())
      expect(text).toMatch(/^\d\.\d+ ± \d\.\d+(e-\d+)? \(n=3\)$/);
    // The seed is neither a group nor averaged.
    expect(await page.getByTestId('groups-table').locator('th').allTextContents()).not.toContain('seed');

    const chart = page.getByTestId('group-curves');
    await chart.waitFor();
    // The runs hold out a validation split, whose top-1 the curves show first.
    expect(await page.getByTestId('group-curve-series').inputValue()).toBe('metric:val:top1');
    // Per group: lower edge, band, mean; the legend toggles the three together.
    expect(await chart.getAttribute('data-series-count')).toBe('6');
    expect(await chart.getAttribute('data-series-names')).toBe(
      'balanced-softmax|balanced-softmax|balanced-softmax|cross-entropy|cross-entropy|cross-entropy',
    );
    expect(await chart.getAttribute('data-point-count')).toBe(String(6 * FMNIST_EPOCHS));
    // Cross-entropy's band (#f28e2b at 20%) is painted.
    await expect.poll(() => pixelsOfColour(page, 'group-curves', translucent('#f28e2b', 0.2))).toBeGreaterThan(1000);
    await screenshot(page, 'runs-grouped-bands.png');

    // The band is the sample std over the seeds at each epoch: checked against the stored points.
    const curves = (await (
      await fetch(
        new URL(
          '/api/runs/groups/curves?sweep=sw-fmnist-names&groupBy=method.loss&series=metric:test:top1',
          dashboard.url,
        ),
      )
    ).json()) as {
      groups: Array<{
        key: { 'method.loss': string };
        n: number;
        points: Array<{ epoch: number; mean: number; std: number; n: number }>;
      }>;
    };
    const ce = curves.groups.find((g) => g.key['method.loss'] === 'cross-entropy');
    expect(ce?.n).toBe(FMNIST_SEEDS.length);
    const finals = await Promise.all(
      FMNIST_SEEDS.map(async (seed) => {
        const detail = await temp.store.getRunDetail(`sw-fmnist-names-cross-entropy-s${seed}`);
        return (
          detail?.metrics.find((p) => p.name === 'top1' && p.split === 'test' && p.epoch === FMNIST_EPOCHS)?.value ??
          NaN
        );
      }),
    );
    const mean = finals.reduce((s, v) => s + v, 0) / finals.length;
    const std = Math.sqrt(finals.reduce((s, v) => s + (v - mean) ** 2, 0) / (finals.length - 1));
    const last = ce?.points.at(-1);
    expect(last?.epoch).toBe(FMNIST_EPOCHS);
    expect(last?.n).toBe(3);
    expect(last?.mean).toBeCloseTo(mean, 12);
    expect(last?.std).toBeCloseTo(std, 12);

    await page.getByTestId('group-curve-series').selectOption('metric:train:loss');
    await expect.poll(() => page.url()).toContain('curve=metric%3Atrain%3Aloss');
    await expect.poll(() => chart.getAttribute('data-point-count')).toBe(String(6 * FMNIST_EPOCHS));
    expect(session.pageErrors).toEqual([]);
  });
});
