import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.js';
import type { openTempStore } from './seed-store.js';

const UI_CONFIG = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));

export interface BrowserSession {
  dashboard: DashboardHandle;
  browser: Browser;
  page: Page;
  /** Uncaught errors of every page opened through `newPage`. */
  pageErrors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the UI from source into a temp folder, serves it over `store` and opens headless Chromium. */
export async function openBrowserSession(
  store: Awaited<ReturnType<typeof openTempStore>>['store'],
): Promise<BrowserSession> {
  const executablePath = ensureChromium();
  const uiDir = mkdtempSync(join(tmpdir(), 'ltlab-ui-'));
  await build({ configFile: UI_CONFIG, logLevel: 'warn', build: { outDir: uiDir, emptyOutDir: true } });
  const dashboard = await startDashboard({ store, port: 0, uiDir, pollMs: 500 });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const pageErrors: string[] = [];
  const newPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
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
