import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, colouredSpots, openBrowserSession, screenshot } from './browser-helpers.js';
import {
  PAYLOAD_CLASSES,
  PAYLOAD_FAILED,
  PAYLOAD_SWEEP,
  PAYLOAD_SWEEP_NAME,
  PAYLOAD_VARIANTS,
  PAYLOADS,
  payloadAccuracy,
  payloadLabel,
  payloadRunId,
  seedPayloadSweep,
} from './seed-payloads.js';
import { openTempStore } from './seed-store.js';

/** Elements no page of the dashboard has: any of them means markup got in. */
const INJECTED = 'img, svg, iframe, object, embed, script:not([src])';

interface Tooltip {
  text: string;
  /** Elements of INJECTED inside the tooltip. */
  injected: number;
}

/** The tooltip ECharts puts in a chart's element: the child div without the canvas. */
function tooltipOf(chart: Locator): Locator {
  return chart.locator('xpath=./div[not(.//canvas)]').last();
}

/**
 * Moves the mouse over `points` (page pixels) until the chart shows a tooltip whose text passes
 * `wanted` (contains it, for a string). The mouse leaves the chart first, so the tooltip of an
 * earlier hover (hidden, its text kept) is not taken; the points are tried up to three times,
 * as a chart may still be animating in.
 */
async function hoverUntil(
  page: Page,
  chart: Locator,
  points: ReadonlyArray<readonly [number, number]>,
  wanted: string | ((text: string) => boolean),
): Promise<Tooltip> {
  const passes = typeof wanted === 'string' ? (text: string) => text.includes(wanted) : wanted;
  const tooltip = tooltipOf(chart);
  const seen = new Set<string>();
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.mouse.move(0, 0);
    await page.waitForTimeout(attempt === 0 ? 250 : 600);
    for (const [x, y] of points) {
      await page.mouse.move(x, y);
      await page.waitForTimeout(30);
      if ((await tooltip.count()) === 0 || !(await tooltip.isVisible())) continue;
      const text = (await tooltip.textContent()) ?? '';
      seen.add(text);
      if (passes(text)) return { text, injected: await tooltip.locator(INJECTED).count() };
    }
  }
  throw new Error(
    `no tooltip of ${await chart.getAttribute('data-testid')} showed ${String(wanted)}; seen: ${JSON.stringify([...seen])}`,
  );
}

async function box(chart: Locator) {
  await chart.scrollIntoViewIfNeeded();
  const found = await chart.boundingBox();
  if (found === null) throw new Error('the chart is not on screen');
  return found;
}

/** Points down a vertical line from `top` to `bottom` (page pixels), every `step`. */
function column(x: number, top: number, bottom: number, step = 3): Array<[number, number]> {
  return Array.from({ length: Math.floor((bottom - top) / step) + 1 }, (_, i) => [x, top + i * step]);
}

/** Points along a horizontal line, every `step`. */
function row(y: number, left: number, right: number, step = 8): Array<[number, number]> {
  return Array.from({ length: Math.floor((right - left) / step) + 1 }, (_, i) => [left + i * step, y]);
}

const text = async (locator: Locator) => (await locator.textContent()) ?? '';

describe('script payloads in a sweep render as text on every page (headless Chromium)', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let artifactRoot: string;
  let session: BrowserSession;

  beforeAll(async () => {
    temp = await openTempStore();
    artifactRoot = mkdtempSync(join(tmpdir(), 'ltlab-xss-artifacts-'));
    await seedPayloadSweep(temp.store, artifactRoot);
    session = await openBrowserSession(temp.store, {
      artifactRoot,
      control: { cancel: async (ids) => ids.length, retry: async (ids) => ids.length },
    });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
    if (artifactRoot !== undefined) rmSync(artifactRoot, { recursive: true, force: true });
  });

  /**
   * Opens every page, hovers the tooltips that show payloads, and checks after each that no
   * payload became markup or ran: no injected element, no `window.__xss`, no request it makes.
   * Returns the tooltips seen.
   */
  async function walkEveryPage(contextOptions: BrowserContextOptions): Promise<Tooltip[]> {
    const page = await session.newPage(contextOptions);
    const probes: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path === '/xss-probe' || path === '/x') probes.push(request.url());
    });
    const tooltips: Tooltip[] = [];
    const clean = async (where: string) => {
      expect(await page.evaluate('window.__xss'), `${where}: a payload ran`).toBeUndefined();
      expect(await page.evaluate(`document.querySelectorAll(${JSON.stringify(INJECTED)}).length`), where).toBe(0);
      expect(probes, `${where}: a payload made a request`).toEqual([]);
    };
    const url = session.dashboard.url;

    // Sweeps list: the name as text, the best run by its label.
    await page.goto(url);
    const sweepLink = page.getByTestId('sweeps-table').locator('tbody a').first();
    await expect.poll(() => text(sweepLink)).toBe(PAYLOAD_SWEEP_NAME);
    expect(await text(page.getByTestId('sweeps-table').locator('tbody'))).toContain(' seed=');
    await clean('sweeps list');

    // Sweep page: heading, runs table, the scatter's tooltip (run labels), importance's (values).
    await page.goto(`${url}#/sweeps/${PAYLOAD_SWEEP}`);
    await expect.poll(() => text(page.locator('h1'))).toBe(PAYLOAD_SWEEP_NAME);
    await page.getByTestId('parallel-coordinates').waitFor();
    const sweepRuns = await text(page.getByTestId('sweep-runs'));
    for (const variant of PAYLOAD_VARIANTS) expect(sweepRuns).toContain(variant);
    await page.getByTestId('scatter-key').selectOption('method.loss');
    const scatter = page.getByTestId('param-scatter');
    tooltips.push(
      await hoverUntil(page, scatter, await colouredSpots(page, 'param-scatter'), `${PAYLOAD_VARIANTS[0]} seed=`),
    );
    const importance = page.getByTestId('importance');
    const importanceBox = await box(importance);
    // Bars start at the axis (grid left 180, top 36 under the legend, bottom 30): hover each
    // parameter's row (two bars, η² and the forest's share, a row; the row answers as a whole).
    const rows =
      Number(await importance.getAttribute('data-point-count')) /
      Number(await importance.getAttribute('data-series-count'));
    const plotHeight = importanceBox.height - 66;
    const starts = Array.from(
      { length: rows },
      (_, j) => [importanceBox.x + 185, importanceBox.y + 36 + ((j + 0.5) * plotHeight) / rows] as const,
    );
    tooltips.push(await hoverUntil(page, importance, starts, PAYLOADS.svg));
    await screenshot(page, 'xss-sweep.png');
    await clean('sweep page');

    // Runs table, grouped by the variant: labels, group keys, the curves' tooltip and legend.
    await page.goto(`${url}#/runs?sweep=${PAYLOAD_SWEEP}&group=hp:method.loss`);
    await page.getByTestId('runs-total').filter({ hasText: '6 runs' }).waitFor();
    const labels = await page.getByTestId('run-row').locator('td:nth-child(2)').allTextContents();
    expect(labels.sort()).toEqual(PAYLOAD_VARIANTS.flatMap((_, v) => [payloadLabel(v, 0), payloadLabel(v, 1)]).sort());
    await expect.poll(() => page.getByTestId('group-row').count()).toBe(3);
    const options = await page.getByTestId('filter-column').locator('option').allTextContents();
    expect(options).toContain(`notes.${PAYLOADS.svg}`);
    const curves = page.getByTestId('group-curves');
    const curvesBox = await box(curves);
    const middle = curvesBox.y + curvesBox.height / 2;
    tooltips.push(
      await hoverUntil(
        page,
        curves,
        row(middle, curvesBox.x + 80, curvesBox.x + curvesBox.width - 40, 40),
        PAYLOADS.script,
      ),
    );
    // The legend (one row under the title, from y = 28) cuts long names and shows them whole on hover.
    // Its entries are centred: try the middle first.
    const legendRow = (chartBox: { x: number; y: number; width: number }) =>
      [40, 34, 46].flatMap((dy) =>
        row(chartBox.y + dy, chartBox.x + 10, chartBox.x + chartBox.width - 10).sort(
          (a, b) => Math.abs(a[0] - chartBox.x - chartBox.width / 2) - Math.abs(b[0] - chartBox.x - chartBox.width / 2),
        ),
      );
    tooltips.push(await hoverUntil(page, curves, legendRow(curvesBox), (tip) => tip === PAYLOADS.img));
    await clean('runs page');
    const filter = encodeURIComponent(JSON.stringify([{ column: 'hp:method.loss', equals: PAYLOADS.img }]));
    await page.goto(`${url}#/runs?sweep=${PAYLOAD_SWEEP}&filters=${filter}`);
    await page.getByTestId('runs-total').filter({ hasText: '2 runs' }).waitFor();
    expect(await text(page.getByTestId('filter-chip'))).toContain(`method.loss = ${PAYLOADS.img}`);
    await clean('runs page, filtered');

    // Run page: label, error message, config keys and values, checkpoint paths, console.
    await page.goto(`${url}#/runs/${PAYLOAD_FAILED}`);
    await expect.poll(() => text(page.locator('h1'))).toContain(payloadLabel(0, 0));
    expect(await text(page.getByTestId('run-error'))).toContain(PAYLOADS.svg);
    const config = await text(page.getByTestId('run-config'));
    expect(config).toContain(`notes.${PAYLOADS.svg}`);
    expect(config).toContain(JSON.stringify(PAYLOADS.img));
    expect(await text(page.getByTestId('checkpoints'))).toContain(`${PAYLOADS.svg}-3.ckpt`);
    await expect.poll(() => text(page.getByTestId('console'))).toContain(PAYLOADS.script);
    await page.getByTestId('perclass-chart').waitFor();
    await screenshot(page, 'xss-run.png');
    await clean('run page');

    // Compare: labels in the config diff, the curves' tooltip (ECharts escapes it) and legend,
    // and the per-class overlay's own tooltip.
    const ids = [payloadRunId(0, 1), payloadRunId(1, 0), payloadRunId(2, 0)];
    await page.goto(`${url}#/compare?ids=${ids.join(',')}`);
    const diff = page.getByTestId('config-diff');
    await expect.poll(() => text(diff.locator('thead'))).toContain(payloadLabel(1, 0));
    expect(await text(diff)).toContain(JSON.stringify(PAYLOADS.svg));
    const loss = page.getByTestId('compare-curves-loss');
    const lossBox = await box(loss);
    tooltips.push(
      await hoverUntil(
        page,
        loss,
        row(lossBox.y + lossBox.height / 2, lossBox.x + 80, lossBox.x + lossBox.width - 30, 30),
        PAYLOADS.script,
      ),
    );
    tooltips.push(await hoverUntil(page, loss, legendRow(lossBox), (tip) => tip === `${payloadLabel(1, 0)} · train`));
    const overlay = page.getByTestId('compare-longtail');
    const overlayBox = await box(overlay);
    // The head class of the first run: x on the log count axis (classes' counts ÷ 1.5 … × 1.5),
    // y its accuracy; the grid is { left: 55, right: 30, top: 60, bottom: 45 }.
    const low = Math.log(Math.min(...PAYLOAD_CLASSES) / 1.5);
    const high = Math.log(Math.max(...PAYLOAD_CLASSES) * 1.5);
    const headX = overlayBox.x + 55 + ((overlayBox.width - 85) * (Math.log(PAYLOAD_CLASSES[0]) - low)) / (high - low);
    const headY = overlayBox.y + 60 + (overlayBox.height - 105) * (1 - (payloadAccuracy(0)[0] ?? 0));
    const head = [-4, 0, 4].flatMap((dx) => column(headX + dx, headY - 14, headY + 14, 3));
    tooltips.push(
      await hoverUntil(page, overlay, head, (tip) => / seed=\d0: 0\.9\d \(500 training images, many\)$/.test(tip)),
    );
    await screenshot(page, 'xss-compare.png');
    await clean('compare page');

    // Queue: a worker whose node and device names are payloads, running a run with a payload label.
    await page.goto(`${url}#/queue`);
    const workers = page.getByTestId('workers');
    await expect.poll(() => text(workers)).toContain(PAYLOADS.svg);
    expect(await text(workers)).toContain(PAYLOADS.script);
    expect(await text(workers)).toContain(payloadLabel(2, 1));
    await clean('queue page');
    await page.context().close();
    return tooltips;
  }

  it('under the dashboard CSP: payloads are text in pages and tooltips, none runs, no page error or CSP violation', async () => {
    const tooltips = await walkEveryPage({});
    expect(tooltips).toHaveLength(7);
    for (const tooltip of tooltips) expect(tooltip.injected, tooltip.text).toBe(0);
    // The scatter's tooltip shows the run label as the text the user gave.
    expect(tooltips[0]?.text).toMatch(/^<img src=x onerror="window.__xss=1;fetch\('\/xss-probe'\)"> seed=\d: 0\.\d+$/);
    expect(tooltips[1]?.text).toContain(`${PAYLOADS.svg} n=2`);
    expect(session.pageErrors).toEqual([]);
  }, 180_000);

  it('with the CSP bypassed the escaping alone keeps every payload from running', async () => {
    const tooltips = await walkEveryPage({ bypassCSP: true });
    for (const tooltip of tooltips) expect(tooltip.injected, tooltip.text).toBe(0);
    expect(session.pageErrors).toEqual([]);
  }, 180_000);
});
