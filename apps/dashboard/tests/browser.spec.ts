import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { watchPage } from './browser-helpers.js';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.js';
import { type SeededStore, seededStore } from './seed-store.js';

const UI_CONFIG = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));

describe('dashboard UI in headless Chromium', () => {
  let seeded: SeededStore;
  let dashboard: DashboardHandle;
  let browser: Browser;
  let page: Page;
  let uiDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const executablePath = ensureChromium();
    uiDir = mkdtempSync(join(tmpdir(), 'ltlab-ui-'));
    // The UI is built from source for every run: nothing built is committed.
    await build({ configFile: UI_CONFIG, logLevel: 'warn', build: { outDir: uiDir, emptyOutDir: true } });
    seeded = await seededStore();
    dashboard = await startDashboard({ store: seeded.store, port: 0, uiDir, pollMs: 500 });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await watchPage(page, pageErrors);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await seeded?.cleanup();
    if (uiDir !== undefined) rmSync(uiDir, { recursive: true, force: true });
  });

  it('loads the runs table, narrows it with a filter and groups with mean ± std', async () => {
    await page.goto(`${dashboard.url}#/runs?sweep=sw-fmnist-lt`);
    await page.getByTestId('runs-total').filter({ hasText: '24 runs' }).waitFor();
    expect(await page.getByTestId('run-row').count()).toBe(24);

    await page.getByTestId('filter-column').selectOption('hp:method.loss');
    await page.getByTestId('filter-op').selectOption('=');
    await page.getByTestId('filter-value').fill('paco');
    await page.getByTestId('filter-add').click();
    await page.getByTestId('runs-total').filter({ hasText: '8 runs' }).waitFor();
    expect(await page.getByTestId('run-row').count()).toBe(8);
    const labels = await page.getByTestId('run-row').locator('td:nth-child(2)').allTextContents();
    expect(labels.every((label) => label.startsWith('paco'))).toBe(true);

    await page.getByTestId('group-by').selectOption('hp:method.options.temperature');
    const groups = page.getByTestId('group-row');
    await groups.first().waitFor();
    expect(await groups.count()).toBe(4);
    const firstGroup = await groups.first().textContent();
    expect(firstGroup).toMatch(/^0\.05\s*2/);
    expect(firstGroup).toMatch(/\d\.\d+ ± \d\.\d+(e-\d+)? \(n=2\)/);
    expect(pageErrors).toEqual([]);
  });

  it('compares two selected runs: overlaid curves and a config diff of what differs', async () => {
    const rows = page.getByTestId('select-run');
    await rows.nth(0).check();
    await rows.nth(3).check();
    await page.getByTestId('compare-button').click();
    const curves = page.getByTestId('compare-curves-top1');
    await curves.waitFor();
    // Two runs x the two evaluated splits (val, test), overlaid in one chart, drawn on a canvas.
    expect(await curves.getAttribute('data-series-count')).toBe('4');
    expect(await curves.locator('canvas').count()).toBe(1);
    const diffKeys = await page.getByTestId('diff-row').locator('td:first-child').allTextContents();
    expect(diffKeys.sort()).toEqual(['method.options.temperature', 'seed']);
    await page.getByTestId('x-axis').selectOption('time');
    await page.getByTestId('smoothing').fill('0.5');
    expect(await curves.getAttribute('data-series-count')).toBe('4');
    expect(pageErrors).toEqual([]);
  });

  it('shows the per-class long-tail chart on the run page', async () => {
    const runId = seeded.runIds[16] ?? '';
    await page.goto(`${dashboard.url}#/runs/${runId}`);
    const chart = page.getByTestId('perclass-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('data-series-names')).toBe('accuracy|train count');
    expect(await chart.getAttribute('data-point-count')).toBe('20');
    expect(await chart.locator('canvas').count()).toBe(1);
    await page.getByTestId('confusion').waitFor();
    expect(await page.getByTestId('checkpoints').locator('tr').count()).toBe(8);
    if (process.env.LTLAB_SCREENSHOTS !== undefined)
      await page.screenshot({ path: join(process.env.LTLAB_SCREENSHOTS, 'run.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a failed run with its error code, and the sweep page with live progress', async () => {
    await page.goto(`${dashboard.url}#/runs/${seeded.runIds[5]}`);
    await expect.poll(() => page.getByTestId('run-error').textContent()).toMatch(/TRAIN\.NAN_LOSS/);
    await page.goto(`${dashboard.url}#/sweeps/sw-fmnist-lt`);
    await page.getByTestId('parallel-coordinates').waitFor();
    // 23 scored runs: beside η², the random forest's share, in the table and as a second bar.
    const loss = page.getByTestId('importance-row').filter({ hasText: 'method.loss' });
    await expect.poll(() => loss.getByTestId('importance-model').textContent()).toMatch(/^0\.\d{3}$/);
    expect(await page.getByTestId('importance-method').textContent()).toMatch(/\(23 runs, out-of-bag R² 0\.\d\d\)/);
    expect(await page.getByTestId('importance').getAttribute('data-point-count')).toBe('6');
    const counts = page.getByTestId('sweep-counts');
    await expect.poll(() => counts.textContent()).toMatch(/1 queued/);
    await seeded.store.cancelRuns([seeded.runIds[23] ?? ''], new Date());
    // No reload: the SSE change event refetches the sweep.
    await expect.poll(() => counts.textContent(), { timeout: 10_000 }).toMatch(/0 queued .* 2 cancelled/);
    if (process.env.LTLAB_SCREENSHOTS !== undefined)
      await page.screenshot({ path: join(process.env.LTLAB_SCREENSHOTS, 'sweep.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
