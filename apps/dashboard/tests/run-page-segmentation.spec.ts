import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '../src/index.js';
import { type BrowserSession, openBrowserSession, screenshot } from './browser-helpers.js';
import { EXPECTED, SEGMENTATION_RUN, seedSegmentationRun } from './seed-segmentation.js';
import { openTempStore } from './seed-store.js';

/** formatCell's rounding (4 significant digits), so the expectations stay the hand-computed values. */
const shown = (value: number) => String(Number(value.toPrecision(4)));

/** The run page of a segmentation run recorded from its trainer events, in headless Chromium. */
describe('run page of a segmentation run in headless Chromium', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let session: BrowserSession;
  let dashboard: DashboardHandle;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    temp = await openTempStore();
    await seedSegmentationRun(temp.store);
    session = await openBrowserSession(temp.store);
    ({ dashboard, page, pageErrors } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
  });

  it('shows the last test evaluation: mIoU, pixel accuracy, mean class accuracy, head / body / tail IoU', async () => {
    await page.goto(`${dashboard.url}#/runs/${SEGMENTATION_RUN}`);
    await page.getByTestId('segmentation-scores').waitFor();
    const cell = (key: string) => page.getByTestId(`segmentation-test-${key}`).textContent();
    // Hand-computed from the confusion (seed-segmentation.ts): 0.5504, 0.7789, 0.58, 0.8011, 0.5, 0.15.
    expect(await cell('mIoU')).toBe(shown(EXPECTED.mIoU));
    expect(await cell('mIoU')).toBe('0.5504');
    expect(await cell('aAcc')).toBe('0.7789');
    expect(await cell('mAcc')).toBe('0.58');
    expect(await cell('headIoU')).toBe('0.8011');
    expect(await cell('bodyIoU')).toBe('0.5');
    expect(await cell('tailIoU')).toBe('0.15');
    expect(await page.locator('[data-testid="segmentation-scores"] tbody tr td').first().textContent()).toBe(
      'test (epoch 4)',
    );
    expect(pageErrors).toEqual([]);
  });

  it('draws per-class IoU against class frequency: 10 points (the absent class left out), coloured by group', async () => {
    const chart = page.getByTestId('iou-vs-frequency');
    await chart.waitFor();
    expect(await chart.getAttribute('data-series-count')).toBe('1');
    expect(await chart.getAttribute('data-point-count')).toBe('10');
    expect(await page.getByTestId('frequency-groups').textContent()).toMatch(
      /head: 4 classes.*body: 4 classes.*tail: 3 classes/,
    );
    // head / body / tail IoU and mIoU bars instead of many / medium / few, no per-class accuracy chart.
    expect(await page.getByTestId('hbt-bars').getAttribute('data-point-count')).toBe('4');
    expect(await page.getByTestId('mmf-bars').count()).toBe(0);
    expect(await page.getByTestId('perclass-chart').count()).toBe(0);
    // The pixel confusion of the block, 11 x 11, with the benchmark's class names.
    expect(await page.getByTestId('confusion').getAttribute('data-point-count')).toBe('121');
    // The recorder's metric points: one curve per segmentation metric, besides the training ones.
    for (const name of ['mIoU', 'aAcc', 'mAcc', 'headIoU', 'bodyIoU', 'tailIoU'])
      expect(await page.getByTestId(`curve-${name}`).count()).toBe(1);
    await screenshot(page, 'run-segmentation.png');
    expect(pageErrors).toEqual([]);
  });
});
