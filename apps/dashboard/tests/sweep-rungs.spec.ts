import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrismaRunStore } from '@ltlab/store';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.js';
import { openTempStore } from './seed-store.js';

const UI_CONFIG = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));
const SWEEP = 'sw-asha';

/**
 * An ASHA sweep (grace 1, eta 2) as the recorder leaves it: four runs reported val/top1 at epoch
 * 1 in this order; b (2 at the rung, keep 1) and d (4 at the rung, keep 2) were stopped there,
 * a and c went on to rung 2, where c was judged against a and kept.
 */
async function seedAshaSweep(store: PrismaRunStore): Promise<void> {
  await store.saveSweep({
    id: SWEEP,
    name: 'asha <b>sweep</b>',
    spec: { earlyStopping: { rule: 'asha', gracePeriod: 1, reductionFactor: 2 } },
    specHash: 'h',
    objectiveMetric: 'val/top1',
    objectiveMode: 'max',
    priority: 50,
    maxConcurrency: null,
  });
  const ids = ['a', 'b', 'c', 'd'];
  await store.addRuns(
    ids.map((id, ordinal) => ({
      id,
      sweepId: SWEEP,
      fingerprint: id,
      config: {},
      configHash: id,
      label: `run-${id}`,
      ordinal,
      sweptKeys: [],
    })),
  );
  const t0 = Date.UTC(2026, 11, 8);
  for (const id of ids) await store.markRunStarted({ runId: id, attempt: 1, node: 'n', slot: '0', at: new Date(t0) });
  const reports: Array<[string, number, number]> = [
    ['a', 1, 0.5],
    ['b', 1, 0.4],
    ['c', 1, 0.6],
    ['d', 1, 0.45],
    ['a', 2, 0.55],
    ['c', 2, 0.7],
  ];
  await store.recordMetrics(
    reports.map(([runId, epoch, value], second) => ({
      runId,
      name: 'top1',
      split: 'val',
      step: epoch * 10,
      epoch,
      value,
      attempt: 1,
      wallTime: new Date(t0 + second * 1000),
    })),
  );
  for (const id of ['b', 'd'])
    await store.markRunFinished({
      runId: id,
      attempt: 1,
      status: 'stopped',
      errorCode: 'RUN.EARLY_STOPPED',
      errorMessage: 'ASHA rung at epoch 1',
      at: new Date(t0 + 10_000),
    });
  for (const id of ['a', 'c'])
    await store.markRunFinished({ runId: id, attempt: 1, status: 'succeeded', at: new Date(t0 + 20_000) });
}

describe('the sweep page of an ASHA sweep', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let dashboard: DashboardHandle;
  let browser: Browser | undefined;
  let uiDir: string;

  beforeAll(async () => {
    temp = await openTempStore();
    await seedAshaSweep(temp.store);
    uiDir = mkdtempSync(join(tmpdir(), 'ltlab-ui-'));
    await build({ configFile: UI_CONFIG, logLevel: 'warn', build: { outDir: uiDir, emptyOutDir: true } });
    dashboard = await startDashboard({ store: temp.store, port: 0, uiDir });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await temp?.cleanup();
    if (uiDir !== undefined) rmSync(uiDir, { recursive: true, force: true });
  });

  it('serves the rung table and the stopped count in /api/sweeps/:id', async () => {
    const response = await fetch(new URL(`/api/sweeps/${SWEEP}`, dashboard.url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { counts: Record<string, number>; earlyStopping: unknown };
    expect(body.counts).toMatchObject({ succeeded: 2, stopped: 2, cancelled: 0 });
    expect(body.earlyStopping).toEqual({
      rule: 'asha',
      objective: { metric: 'val/top1', mode: 'max' },
      gracePeriod: 1,
      reductionFactor: 2,
      rungs: [
        { epoch: 1, reached: 4, cutoff: 0.5, promoted: 2, stopped: ['b', 'd'] },
        { epoch: 2, reached: 2, cutoff: 0.7, promoted: 2, stopped: [] },
      ],
    });
  });

  it('shows the rungs on the page', async () => {
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${dashboard.url}#/sweeps/${SWEEP}`);
    await page.getByTestId('rung-row').first().waitFor({ timeout: 20_000 });
    const rows = await page
      .getByTestId('rung-row')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows).toEqual([
      ['1', '4', '0.5', '2', '2'],
      ['2', '2', '0.7', '2', '0'],
    ]);
    expect(await page.getByTestId('rung-table').locator('h2').textContent()).toBe('Early stopping: ASHA rungs');
    expect(await page.getByTestId('sweep-counts').textContent()).toContain('2 stopped');
  }, 60_000);
});
