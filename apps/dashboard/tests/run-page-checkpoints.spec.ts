import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '../src/index.js';
import { type BrowserSession, openBrowserSession } from './browser-helpers.js';
import { openTempStore, PRUNED_RUN, seedPrunedRun } from './seed-store.js';

/** The run page of an 8-epoch run after checkpoint.keepLast pruned its files, in headless Chromium. */
describe('run page checkpoints and epochs in headless Chromium', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let session: BrowserSession;
  let dashboard: DashboardHandle;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    temp = await openTempStore();
    await seedPrunedRun(temp.store);
    session = await openBrowserSession(temp.store);
    ({ dashboard, page, pageErrors } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
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
