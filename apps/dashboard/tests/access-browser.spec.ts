import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowserSession } from './browser-helpers.js';
import { openTempStore, seedSweep } from './seed-store.js';

const TOKEN = 'a-long-test-token-0123456789';

describe('dashboard access in headless Chromium', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let guarded: BrowserSession;
  let readOnly: BrowserSession;
  const cancelled: string[][] = [];

  beforeAll(async () => {
    temp = await openTempStore();
    await seedSweep(temp.store);
    guarded = await openBrowserSession(temp.store, {
      token: TOKEN,
      control: {
        cancel: async (ids) => {
          cancelled.push([...ids]);
          return ids.length;
        },
        retry: async (ids) => ids.length,
      },
    });
    readOnly = await openBrowserSession(temp.store, { readOnly: true });
  }, 180_000);

  afterAll(async () => {
    await guarded?.close();
    await readOnly?.close();
    await temp?.cleanup();
  });

  it('with a token, a page without it says how to get in and shows no data', async () => {
    const page = await guarded.newPage();
    await page.goto(`${guarded.dashboard.url}#/runs?sweep=sw-fmnist-lt`);
    const error = page.getByTestId('unauthorized');
    await expect
      .poll(() => error.textContent())
      .toMatch(/needs its token\. Open the dashboard once as .*\?token=<token>/);
    expect(await page.getByTestId('run-row').count()).toBe(0);
    await page.context().close();
  });

  it('opened once with ?token=, the browser keeps an HttpOnly cookie: the token leaves the URL and script reach', async () => {
    const page = await guarded.newPage();
    await page.goto(`${guarded.dashboard.url}?token=${TOKEN}#/runs?sweep=sw-fmnist-lt`);
    await page.getByTestId('runs-total').filter({ hasText: '24 runs' }).waitFor();
    expect(page.url()).not.toContain(TOKEN);
    expect(page.url()).toMatch(/#\/runs\?sweep=sw-fmnist-lt$/);
    // HttpOnly: no script sees the cookie; nothing is kept in web storage.
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.evaluate('sessionStorage.length + localStorage.length')).toBe(0);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).not.toContain(TOKEN);

    // A change from the page goes through on the cookie and the page's own Origin.
    await page.getByTestId('select-run').nth(0).check();
    await page.getByTestId('cancel-selected').click();
    await expect.poll(() => page.getByText('cancel: 1 run(s)').count()).toBe(1);
    expect(cancelled).toEqual([['sw-fmnist-lt-r00']]);
    // A fresh page of the same browser needs no token again: live updates included.
    const again = await page.context().newPage();
    await again.goto(`${guarded.dashboard.url}#/sweeps/sw-fmnist-lt`);
    await again.getByTestId('parallel-coordinates').waitFor();
    expect(guarded.pageErrors).toEqual([]);
    await page.context().close();
  });

  it('the built UI runs under the CSP: its page has no inline script or handler', async () => {
    const response = await fetch(readOnly.dashboard.url);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    const scripts = page.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\bsrc="\.\/assets\/[\w-]+\.js"/);
    expect(page).not.toMatch(/<script\b[^>]*>\s*\S[\s\S]*?<\/script>/);
    expect(page).not.toMatch(/\son[a-z]+=/i);
  });

  it('read-only: the runs table and the queue offer no cancel or retry', async () => {
    const page = await readOnly.newPage();
    await page.goto(`${readOnly.dashboard.url}#/runs?sweep=sw-fmnist-lt`);
    await page.getByTestId('runs-total').filter({ hasText: '24 runs' }).waitFor();
    await page.getByTestId('export-csv').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await page.goto(`${readOnly.dashboard.url}#/queue`);
    await expect.poll(() => page.getByTestId('workers').locator('tbody tr').count()).toBe(2);
    // The busy worker's current job is listed, without buttons.
    expect(await page.getByTestId('workers').textContent()).toContain('paco T=0.3 seed=1');
    // Each worker's data sets: present or missing, with the path (and the file not found).
    const sources = page.getByTestId('data-source');
    expect(await sources.count()).toBe(2);
    expect(await sources.nth(0).getAttribute('data-present')).toBe('true');
    expect(await sources.nth(0).textContent()).toContain('fashion-mnist /data/datasets/fashion-mnist');
    expect(await sources.nth(1).getAttribute('data-present')).toBe('false');
    expect(await sources.nth(1).textContent()).toContain(
      'cifar100 /data/datasets/cifar-100-binary (missing /data/datasets/cifar-100-binary/fine_label_names.txt)',
    );
    expect(await page.getByRole('button').count()).toBe(0);
    expect(readOnly.pageErrors).toEqual([]);
    await page.context().close();
  });

  it('with changes allowed, the same pages offer them', async () => {
    const page = await guarded.newPage();
    await page.goto(`${guarded.dashboard.url}?token=${TOKEN}#/queue`);
    await expect.poll(() => page.getByTestId('cancel-run').count()).toBe(1);
    expect(await page.getByTestId('retry-run').count()).toBe(1);
    await page.context().close();
  });
});
