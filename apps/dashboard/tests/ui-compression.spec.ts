import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { chooseEncoding } from '../src/static-compression.js';
import { openTempStore } from './seed-store.js';

const UI_CONFIG = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET, so the test, not an HTTP client, decides Accept-Encoding and sees the bytes sent. */
function get(url: string, acceptEncoding?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the UI bundle is served compressed', () => {
  let uiDir: string;
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let dashboard: DashboardHandle;
  let bundle: { path: string; bytes: Buffer };

  beforeAll(async () => {
    uiDir = mkdtempSync(join(tmpdir(), 'ltlab-ui-'));
    await build({ configFile: UI_CONFIG, logLevel: 'warn', build: { outDir: uiDir, emptyOutDir: true } });
    const script = readdirSync(join(uiDir, 'assets')).find((name) => name.endsWith('.js'));
    if (script === undefined) throw new Error('the UI build wrote no script');
    bundle = { path: `assets/${script}`, bytes: readFileSync(join(uiDir, 'assets', script)) };
    temp = await openTempStore();
    dashboard = await startDashboard({ store: temp.store, port: 0, uiDir });
  }, 120_000);

  afterAll(async () => {
    await dashboard?.close();
    await temp?.cleanup();
    if (uiDir !== undefined) rmSync(uiDir, { recursive: true, force: true });
  });

  it('sends the script with brotli to a browser, a third of its size or less', async () => {
    const answer = await get(new URL(bundle.path, dashboard.url).href, 'gzip, deflate, br, zstd');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers.vary).toBe('accept-encoding');
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    expect(brotliDecompressSync(answer.body).equals(bundle.bytes)).toBe(true);
    expect(answer.body.length).toBeLessThan(bundle.bytes.length / 3);
  });

  it('sends gzip to a client without brotli; the stylesheet too, not the 400-byte index.html', async () => {
    const answer = await get(new URL(bundle.path, dashboard.url).href, 'gzip');
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(answer.body).equals(bundle.bytes)).toBe(true);
    const css = readdirSync(join(uiDir, 'assets')).find((name) => name.endsWith('.css'));
    const style = await get(new URL(`assets/${css}`, dashboard.url).href, 'gzip;q=1.0, br;q=0.5');
    expect(style.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(style.body).equals(readFileSync(join(uiDir, 'assets', css ?? '')))).toBe(true);
    const index = await get(dashboard.url, 'gzip, br');
    expect(index.headers['content-encoding']).toBeUndefined();
    expect(index.body.toString('utf8')).toContain(bundle.path);
  });

  it('sends the plain bytes when the client accepts no encoding', async () => {
    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const answer = await get(new URL(bundle.path, dashboard.url).href, accept);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.body.equals(bundle.bytes)).toBe(true);
    }
  });

  it('reads Accept-Encoding weights', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('br;q=0.2, gzip;q=0.8')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0.5, br;q=0')).toBe('gzip');
    expect(chooseEncoding('deflate')).toBeNull();
    expect(chooseEncoding('')).toBeNull();
  });
});
