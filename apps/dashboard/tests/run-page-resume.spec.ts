import type { PrismaRunStore } from '@ltlab/store';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '../src/index.js';
import { type BrowserSession, openBrowserSession } from './browser-helpers.js';
import { openTempStore } from './seed-store.js';

const RESUMED = 'run-resumed-past-damage';
const RESTARTED = 'run-all-checkpoints-rejected';
const CLEAN = 'run-clean-start';
/** A reason is text from a file's header: whatever it holds must reach the page as text. */
const PAYLOAD = '<img src=x onerror="window.__resumeXss=1">';

async function seed(store: PrismaRunStore): Promise<void> {
  await store.addRuns(
    [RESUMED, RESTARTED, CLEAN].map((id, ordinal) => ({
      id,
      sweepId: null,
      fingerprint: id,
      config: { epochs: 4 },
      configHash: id,
      label: '',
      ordinal,
      sweptKeys: [],
    })),
  );
  const at = new Date(Date.UTC(2026, 11, 6, 12));
  const started = { attempt: 2, node: 'node-a', slot: 'gpu0', at };
  await store.markRunStarted({
    ...started,
    runId: RESUMED,
    resumedFrom: `${RESUMED}/checkpoints/epoch-00002.ckpt`,
    rejectedCheckpoints: [
      {
        file: `${RESUMED}/checkpoints/epoch-00003.ckpt`,
        code: 'CHECKPOINT.CORRUPT',
        reason: `unreadable state (best.metric: ${PAYLOAD})`,
      },
    ],
  });
  await store.markRunStarted({
    ...started,
    runId: RESTARTED,
    resumedFrom: null,
    rejectedCheckpoints: [
      {
        file: `${RESTARTED}/checkpoints/epoch-00002.ckpt`,
        code: 'CHECKPOINT.CORRUPT',
        reason: 'payload checksum mismatch',
      },
      {
        file: `${RESTARTED}/checkpoints/epoch-00001.ckpt`,
        code: 'CONFIG.INVALID',
        reason: 'Weights do not match resnet8',
      },
    ],
  });
  await store.markRunStarted({ ...started, attempt: 1, runId: CLEAN });
}

/** Opens a run's page and waits until it shows that run (not the one shown before). */
async function openRun(page: Page, dashboard: DashboardHandle, id: string): Promise<void> {
  await page.goto(`${dashboard.url}#/runs/${id}`);
  await page.locator('h1', { hasText: id }).waitFor();
}

/** The run page says which checkpoint a run resumed from and which it rejected, in headless Chromium. */
describe('run page: checkpoint resumed from and rejected ones', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let session: BrowserSession;
  let dashboard: DashboardHandle;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    temp = await openTempStore();
    await seed(temp.store);
    session = await openBrowserSession(temp.store);
    ({ dashboard, page, pageErrors } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
  });

  it('shows the checkpoint resumed from and warns of the newer one rejected, with its reason as text', async () => {
    await openRun(page, dashboard, RESUMED);
    const resumed = page.getByTestId('resumed-from');
    expect(await resumed.textContent()).toBe('Resumed from epoch-00002.ckpt');
    const warning = page.getByTestId('rejected-checkpoints');
    expect(await warning.locator('strong').textContent()).toBe('Rejected a newer checkpoint:');
    expect(await page.getByTestId('rejected-checkpoint').allTextContents()).toEqual([
      `epoch-00003.ckpt: unreadable state (best.metric: ${PAYLOAD}) (CHECKPOINT.CORRUPT)`,
    ]);
    expect(await warning.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __resumeXss?: number }).__resumeXss)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('says so when every checkpoint was rejected and training began again at epoch 1', async () => {
    await openRun(page, dashboard, RESTARTED);
    const warning = page.getByTestId('rejected-checkpoints');
    expect(await warning.locator('strong').textContent()).toBe(
      'All 2 checkpoints were rejected: training started again from epoch 1.',
    );
    expect(await page.getByTestId('rejected-checkpoint').allTextContents()).toEqual([
      'epoch-00002.ckpt: payload checksum mismatch (CHECKPOINT.CORRUPT)',
      'epoch-00001.ckpt: Weights do not match resnet8 (CONFIG.INVALID)',
    ]);
    expect(await page.getByTestId('resumed-from').count()).toBe(0);

    const api = (await (await fetch(new URL(`/api/runs/${RESTARTED}`, dashboard.url))).json()) as {
      resumedFrom: string | null;
      rejectedCheckpoints: unknown[];
    };
    expect(api.resumedFrom).toBeNull();
    expect(api.rejectedCheckpoints).toHaveLength(2);
    expect(pageErrors).toEqual([]);
  });

  it('shows neither for a run that started at epoch 1 with nothing to reject', async () => {
    await openRun(page, dashboard, CLEAN);
    expect(await page.getByTestId('resumed-from').count()).toBe(0);
    expect(await page.getByTestId('rejected-checkpoints').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
