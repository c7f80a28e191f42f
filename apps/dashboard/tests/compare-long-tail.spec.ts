import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowserSession, pixelsOfColour, screenshot } from './browser-helpers.js';
import { FMNIST_EPOCHS, openTempStore, seedFashionMnistSweep, seedSweep } from './seed-store.js';

const RUNS = [
  'sw-fmnist-names-cross-entropy-s0',
  'sw-fmnist-names-balanced-softmax-s0',
  'sw-fmnist-names-balanced-softmax-s1',
];
const CLASSES = 10;
/** The confusion chart's plot margins (CONFUSION_GRID in ui/src/pages/confusion.ts). */
const GRID = { left: 110, right: 80, top: 20, bottom: 95 };

/** Hovers the confusion cell (true class, predicted class) and returns the tooltip's text. */
async function hoverCell(page: Page, truth: number, predicted: number): Promise<string> {
  const chart = page.getByTestId('compare-confusion');
  const box = await chart.boundingBox();
  if (box === null) throw new Error('the confusion chart is not on screen');
  const cellWidth = (box.width - GRID.left - GRID.right) / CLASSES;
  const cellHeight = (box.height - GRID.top - GRID.bottom) / CLASSES;
  await page.mouse.move(
    box.x + GRID.left + (predicted + 0.5) * cellWidth,
    box.y + GRID.top + (truth + 0.5) * cellHeight,
  );
  const tooltip = chart.locator('div').filter({ hasText: '→' }).last();
  await tooltip.waitFor();
  return (await tooltip.textContent()) ?? '';
}

describe('compare page long-tail views in headless Chromium', () => {
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

  const confusionOf = async (runId: string, split: string) => {
    const detail = await temp.store.getRunDetail(runId);
    const evaluation = detail?.evaluations.filter((e) => e.split === split).at(-1);
    return evaluation?.confusion as number[][];
  };

  it('overlays per-class accuracy against training count for every run, many/medium/few shaded', async () => {
    const { page, dashboard } = session;
    await page.goto(`${dashboard.url}#/compare?ids=${RUNS.join(',')}`);
    const chart = page.getByTestId('compare-longtail');
    await chart.waitFor();
    expect(await page.getByTestId('eval-split').inputValue()).toBe('test');
    expect(await chart.getAttribute('data-series-count')).toBe('3');
    expect(await chart.getAttribute('data-series-names')).toBe(
      'cross-entropy seed=0|balanced-softmax seed=0|balanced-softmax seed=1',
    );
    expect(await chart.getAttribute('data-point-count')).toBe(String(3 * CLASSES));
    expect(await page.getByTestId('shot-bands').textContent()).toBe(
      'Shaded: many-shot (more than 100 training images, 5 classes), medium (20–100, 3), few-shot (fewer than 20, 2), counted on cross-entropy seed=0.',
    );
    // The few-shot range is shaded rgba(225, 87, 89, 0.12) behind the points.
    await expect.poll(() => pixelsOfColour(page, 'compare-longtail', [225, 87, 89, 31], 3)).toBeGreaterThan(2000);

    // Fashion-MNIST's class names, by the runs' data.source.
    const options = await page.getByTestId('compare-class').locator('option').allTextContents();
    expect(options).toEqual([
      '0 · T-shirt/top',
      '1 · Trouser',
      '2 · Pullover',
      '3 · Dress',
      '4 · Coat',
      '5 · Sandal',
      '6 · Shirt',
      '7 · Sneaker',
      '8 · Bag',
      '9 · Ankle boot',
    ]);
    await page.getByTestId('compare-class').selectOption('9');
    await expect
      .poll(() => page.getByTestId('compare-perclass').getAttribute('data-point-count'))
      .toBe(String(3 * FMNIST_EPOCHS));
    await screenshot(page, 'compare-long-tail.png');
    expect(session.pageErrors).toEqual([]);
  });

  it('shows a row-normalised confusion matrix with class names, for the run and split chosen', async () => {
    const { page, dashboard } = session;
    await page.goto(`${dashboard.url}#/compare?ids=${RUNS.join(',')}`);
    const matrix = page.getByTestId('compare-confusion');
    await matrix.waitFor();
    await matrix.scrollIntoViewIfNeeded();
    expect(await matrix.getAttribute('data-point-count')).toBe(String(CLASSES * CLASSES));
    const sums = () => page.locator('.confusion').getAttribute('data-row-sums');
    expect(await sums()).toBe(Array.from({ length: CLASSES }, () => '1.000').join(','));

    const test = await confusionOf(RUNS[0] as string, 'test');
    const tail = test[9] as number[];
    const total = tail.reduce((s, v) => s + v, 0);
    expect(total).toBe(1000);
    expect(await hoverCell(page, 9, 9)).toBe(
      `Ankle boot → Ankle boot: ${((100 * (tail[9] ?? 0)) / total).toFixed(1)}% (${tail[9]} of ${total})`,
    );
    expect(await hoverCell(page, 9, 8)).toBe(
      `Ankle boot → Bag: ${((100 * (tail[8] ?? 0)) / total).toFixed(1)}% (${tail[8]} of ${total})`,
    );

    // The validation rows hold 100 images of the head class and 1 of the tail: each still sums to 1.
    await page.getByTestId('eval-split').selectOption('val');
    await page.getByTestId('confusion-run').selectOption(RUNS[1] as string);
    const val = await confusionOf(RUNS[1] as string, 'val');
    expect(val.map((row) => row.reduce((s, v) => s + v, 0))).toEqual([100, 60, 36, 22, 13, 8, 5, 3, 2, 1]);
    await expect.poll(sums).toBe(Array.from({ length: CLASSES }, () => '1.000').join(','));
    const head = val[0] as number[];
    expect(await hoverCell(page, 0, 0)).toBe(
      `T-shirt/top → T-shirt/top: ${(head[0] ?? 0).toFixed(1)}% (${head[0]} of 100)`,
    );
    const oneImage = (val[9] ?? []).indexOf(1);
    expect(await hoverCell(page, 9, oneImage)).toMatch(/^Ankle boot → .+: 100\.0% \(1 of 1\)$/);
    await screenshot(page, 'compare-confusion-val.png');
    expect(session.pageErrors).toEqual([]);
  });

  it('numbers the classes of a data set without fixed names', async () => {
    const { page, dashboard } = session;
    // The seeded loss × temperature sweep reads an image folder, whose class names the store does not keep.
    await page.goto(`${dashboard.url}#/compare?ids=sw-fmnist-lt-r00,sw-fmnist-lt-r01`);
    // A hash change keeps the page: wait until the previous comparison's chart is replaced.
    await expect.poll(() => page.getByTestId('compare-longtail').getAttribute('data-series-count')).toBe('2');
    await expect
      .poll(() => page.getByTestId('compare-class').locator('option').allTextContents())
      .toEqual(Array.from({ length: CLASSES }, (_, c) => String(c)));
    expect(await page.getByTestId('eval-split').inputValue()).toBe('val');
    // Its validation split holds out 20 images per class (data.validation.perClass).
    expect(await hoverCell(page, 0, 0)).toMatch(/^0 → 0: \d+\.\d% \(\d+ of 20\)$/);
    expect(session.pageErrors).toEqual([]);
  });
});
