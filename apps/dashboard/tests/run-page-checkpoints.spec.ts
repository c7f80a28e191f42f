import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.js';
import { openTempStore, PRUNED_RUN, seedPrunedRun } from './seed-store.js';

const UI_CONFIG = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));

/** The run page of an 8-epoch run after checkpoint.keepLast pruned its files, in headless Chromium. */
describe('run page checkpoints and epochs in headless Chromium', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let dashboard: DashboardHandle;
  let browser: Browser;
  let page: Page;
  let uiDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const executablePath = ensureChromium();
    uiDir = mkdtempSync(join(tmpdir(), 'ltlab-ui-'));
    await build({ configFile: UI_CONFIG, logLevel: 'warn', build: { outDir: uiDir, emptyOutDir: true } });
    temp = await openTempStore();
    await seedPrunedRun(temp.store);
    dashboard = await startDashboard({ store: temp.store, port: 0, uiDir, pollMs: 500 });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await temp?.cleanup();
    if (uiDir !== undefined) rmSync(uiDir, { recursive: true, force: true });
  });

  it('lists only the checkpoints on disk, best.ckpt marked with what chose it', async () => {
    await page.goto(`${dashboard.url}#/runs/${PRUNED_RUN}`);
    const rows = page.getByTestId('checkpoint-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    const paths = await rows.locator('td:first-child').allTextContents();
    expect(paths).toEqual([
      `${PRUNED_RUN}/checkpoints/epoch-00007.ckpt`,
      `${PRUNED_RUN}/checkpoints/epoch-00008.ckpt`,
      `${PRUNED_RUN}/checkpoints/best.ckpt`,
    ]);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-file')))).toEqual([
      'epoch',
      'epoch',
      'best',
    ]);
    expect(await rows.nth(2).textContent()).toMatch(/best.*epoch 5/);
    expect(await page.getByTestId('best-basis').textContent()).toBe(
      'best.ckpt holds epoch 5: best by top1 on validation (0.71)',
    );
    expect(pageErrors).toEqual([]);
  });

  it('counts epochs from 1: the last is 8 and every curve spans 1..8', async () => {
    expect(await page.getByTestId('run-epoch').textContent()).toBe('epoch 8 of 8');
    const cards = page.getByTestId('curve-card');
    expect(await cards.count()).toBe(2);
    expect(await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-x-range')))).toEqual(['1-8', '1-8']);
    const mmf = await page.getByTestId('mmf-bars').getAttribute('data-series-names');
    expect(mmf?.split('|').sort()).toEqual(['test (epoch 8)', 'val (epoch 8)']);

    const api = (await (await fetch(new URL(`/api/runs/${PRUNED_RUN}`, dashboard.url))).json()) as {
      run: { lastEpoch: number };
      epochs: { min: number; max: number };
      metrics: Array<{ epoch: number }>;
      evaluations: Array<{ epoch: number }>;
      checkpoints: { best: { epoch: number; basis: string } };
    };
    expect(api.run.lastEpoch).toBe(8);
    expect(api.epochs).toEqual({ min: 1, max: 8 });
    const epochs = api.metrics.map((m) => m.epoch);
    expect([Math.min(...epochs), Math.max(...epochs)]).toEqual([1, 8]);
    expect(Math.max(...api.evaluations.map((e) => e.epoch))).toBe(8);
    expect(api.checkpoints.best).toMatchObject({ epoch: 5, basis: 'best by top1 on validation' });
    if (process.env.LTLAB_SCREENSHOTS !== undefined)
      await page.screenshot({ path: join(process.env.LTLAB_SCREENSHOTS, 'run-checkpoints.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
