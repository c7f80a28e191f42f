import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { type DashboardHandle, type DashboardOptions, startDashboard } from '../src/index.js';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.js';
import type { openTempStore } from './seed-store.js';

const UI_CONFIG = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));

export interface BrowserSession {
  dashboard: DashboardHandle;
  browser: Browser;
  page: Page;
  /** Uncaught errors and Content-Security-Policy violations of every page opened through `newPage`. */
  pageErrors: string[];
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Collects a page's uncaught errors and the Content-Security-Policy violations the browser
 * reports (the dashboard sends a CSP with every response: the UI must run under it).
 */
export async function watchPage(page: Page, errors: string[]): Promise<void> {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|CSP violation/i.test(message.text()))
      errors.push(message.text());
  });
  // Init scripts run before the page's own and are not subject to its CSP.
  await page.addInitScript(
    `document.addEventListener('securitypolicyviolation', (event) =>
      console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline code')));`,
  );
}

/**
 * Builds the UI from source into a temp folder, serves it over `store` (with `options`, e.g. a
 * token or read-only) and opens headless Chromium.
 */
export async function openBrowserSession(
  store: Awaited<ReturnType<typeof openTempStore>>['store'],
  options: Partial<Omit<DashboardOptions, 'store' | 'uiDir'>> = {},
): Promise<BrowserSession> {
  const executablePath = ensureChromium();
  const uiDir = mkdtempSync(join(tmpdir(), 'ltlab-ui-'));
  await build({ configFile: UI_CONFIG, logLevel: 'warn', build: { outDir: uiDir, emptyOutDir: true } });
  const dashboard = await startDashboard({ port: 0, pollMs: 500, ...options, store, uiDir });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const pageErrors: string[] = [];
  const newPage = async (contextOptions: BrowserContextOptions = {}) => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...contextOptions });
    const page = await context.newPage();
    await watchPage(page, pageErrors);
    return page;
  };
  const page = await newPage();
  return {
    dashboard,
    browser,
    page,
    pageErrors,
    newPage,
    async close() {
      await browser.close();
      await dashboard.close();
      rmSync(uiDir, { recursive: true, force: true });
    },
  };
}

/** The little of the DOM the page-side functions touch (this project's typecheck has no DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/**
 * Pixels of a chart's canvas within `tolerance` of an RGBA colour: proof that something was drawn
 * in it. The canvas is transparent where nothing is drawn, so a translucent fill keeps its alpha.
 */
export function pixelsOfColour(
  page: Page,
  testId: string,
  rgba: readonly [number, number, number, number],
  tolerance = 4,
) {
  return page
    .getByTestId(testId)
    .locator('canvas')
    .first()
    .evaluate(
      (element, [r, g, b, a, tol]) => {
        const canvas = element as unknown as CanvasLike;
        const context = canvas.getContext('2d');
        if (context === null) return 0;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
          const near =
            Math.abs((data[i] ?? 0) - r) <= tol &&
            Math.abs((data[i + 1] ?? 0) - g) <= tol &&
            Math.abs((data[i + 2] ?? 0) - b) <= tol &&
            Math.abs((data[i + 3] ?? 0) - a) <= tol;
          if (near) count += 1;
        }
        return count;
      },
      [rgba[0], rgba[1], rgba[2], rgba[3], tolerance] as const,
    );
}

/** A `#rrggbb` colour drawn at `alpha`, as the canvas stores it. */
export function translucent(hex: string, alpha: number): [number, number, number, number] {
  const channel = (at: number) => Number.parseInt(hex.slice(at, at + 2), 16);
  return [channel(1), channel(3), channel(5), Math.round(alpha * 255)];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.LTLAB_SCREENSHOTS !== undefined)
    await page.screenshot({ path: join(process.env.LTLAB_SCREENSHOTS, name), fullPage: true });
}

/**
 * Page coordinates of the coloured marks on a chart's canvas (scatter dots, bars): pixels whose
 * channels differ by more than 60 (axes, grid lines and text are grey), gathered into `cell`-px
 * squares, most pixels first. Hovering them finds a tooltip wherever ECharts' layout put the marks.
 */
export async function colouredSpots(page: Page, testId: string, cell = 12): Promise<Array<[number, number]>> {
  const chart = page.getByTestId(testId);
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (box === null) throw new Error(`${testId} is not on screen`);
  const spots = await chart
    .locator('canvas')
    .first()
    .evaluate((element, size) => {
      const canvas = element as unknown as CanvasLike & { clientWidth: number };
      const context = canvas.getContext('2d');
      if (context === null) return [];
      const scale = canvas.width / canvas.clientWidth;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const cells = new Map<string, { x: number; y: number; n: number }>();
      for (let i = 0; i < data.length; i += 4) {
        const [r = 0, g = 0, b = 0, a = 0] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        if (a < 200 || Math.max(r, g, b) - Math.min(r, g, b) <= 60) continue;
        const x = ((i / 4) % canvas.width) / scale;
        const y = Math.floor(i / 4 / canvas.width) / scale;
        const key = `${Math.floor(x / size)},${Math.floor(y / size)}`;
        const spot = cells.get(key) ?? { x: 0, y: 0, n: 0 };
        cells.set(key, { x: spot.x + x, y: spot.y + y, n: spot.n + 1 });
      }
      return [...cells.values()].sort((p, q) => q.n - p.n).map((s) => [s.x / s.n, s.y / s.n] as [number, number]);
    }, cell);
  return spots.map(([x, y]) => [box.x + x, box.y + y]);
}
