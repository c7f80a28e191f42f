import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import {
  checkBinding,
  credentialOf,
  hostAllowed,
  sameOrigin,
  servedOverTls,
  sessionCookie,
  sessionCookieName,
  tokenMatches,
} from './access.js';
import {
  type ApiContext,
  compareRuns,
  type DashboardStore,
  exportScope,
  groupCurvesOf,
  groupRunsTable,
  listColumns,
  listRunsTable,
  listSweeps,
  listWorkers,
  runDetail,
  statusOf,
  sweepDetail,
  varyingColumns,
} from './api.js';
import { runIdsBodySchema } from './api-schemas.js';
import { type ArtifactServiceOptions, createArtifactRoutes, isArtifactRequest } from './artifact-routes.js';
import { runsExportCsv } from './csv.js';
import { listenError } from './listen-error.js';
import { LiveUpdates } from './live-updates.js';
import { decodeComponent, parseRequestUrl, type RequestUrl } from './request-url.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { CompressedFiles, chooseEncoding, isCompressible } from './static-compression.js';

/** Cancels or retries runs through the queue; `ltlab serve` passes the orchestrator's. */
export interface QueueControl {
  cancel(runIds: readonly string[]): Promise<number>;
  retry(runIds: readonly string[]): Promise<number>;
}

export interface DashboardOptions {
  store: DashboardStore;
  /** Defaults to 127.0.0.1; any other host requires `token`. */
  host?: string;
  /** 0 picks a free port. Defaults to 7420. */
  port?: number;
  /**
   * When set, every API request but /api/health needs it: `Authorization: Bearer`,
   * `X-Ltlab-Token`, or the session cookie a browser gets by opening the dashboard once with
   * `?token=`. Required for any host but loopback.
   */
  token?: string;
  /** Without it, cancel marks runs cancelled in the store only, and retry answers 501. */
  control?: QueueControl;
  artifactRoot?: string;
  /** The built UI; defaults to this package's ui-dist folder. */
  uiDir?: string;
  /** How often live pages poll the store for changes (default 1000 ms). */
  pollMs?: number;
  staleAfterMs?: number;
  /** Refuse every change (403): a viewer of a store that nothing may write (`ltlab serve --read-only`). */
  readOnly?: boolean;
  /** The artifact service for workers on other hosts (`/api/artifacts/`, docs/deploy.md); `ltlab serve` passes it. */
  artifacts?: ArtifactServiceOptions;
}

export interface DashboardHandle {
  url: string;
  /** Wire to the recorder's `onRecorded`: live pages update at once instead of at the next poll. */
  notify(): void;
  close(): Promise<void>;
}

const DEFAULT_UI_DIR = fileURLToPath(new URL('../ui-dist', import.meta.url));
const MAX_BODY = 1 << 20;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export async function startDashboard(options: DashboardOptions): Promise<DashboardHandle> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token === undefined || options.token === '' ? undefined : options.token;
  checkBinding(host, token);
  const ctx: ApiContext = {
    store: options.store,
    staleAfterMs: options.staleAfterMs ?? 120_000,
    ...(options.artifactRoot === undefined ? {} : { artifactRoot: options.artifactRoot }),
  };
  const uiDir = resolve(options.uiDir ?? DEFAULT_UI_DIR);
  const live = new LiveUpdates(() => options.store.changeStamp(), options.pollMs ?? 1000);
  const compressed = new CompressedFiles();

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    handle(request, response).catch((error: unknown) => sendError(response, error));
  });
  /** Set once listening: the session cookie is named after the port. */
  let cookieName = sessionCookieName(0);
  const artifactRoutes = createArtifactRoutes({
    ...(options.artifacts === undefined ? {} : { service: options.artifacts }),
    readOnly: options.readOnly === true,
    authorized: (request, change) => {
      const credential = token === undefined ? 'header' : credentialOf(request, token, cookieName);
      return change ? credential === 'header' : credential !== null;
    },
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request, host)) {
      sendJson(response, 403, {
        error: {
          code: 'FORBIDDEN',
          message: `The Host header ${JSON.stringify(request.headers.host ?? '')} is not a loopback name or address, and this dashboard listens on loopback only (DNS rebinding guard).`,
          fix: 'Open the dashboard as http://127.0.0.1:<port>/ or http://localhost:<port>/; to serve other names, bind another host with a token.',
        },
      });
      return;
    }
    if (isArtifactRequest(request)) {
      await artifactRoutes.handle(request, response);
      return;
    }
    const url = parseRequestUrl(request.url);
    if (request.method === 'POST') {
      await mutate(request, response, url.path);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: { code: 'METHOD', message: `${request.method} is not allowed.` } });
      return;
    }
    const api = url.path.startsWith('/api/');
    if (!api && url.params.token !== undefined) {
      login(request, response, url);
      return;
    }
    if (api && url.path !== '/api/health' && token !== undefined && credentialOf(request, token, cookieName) === null) {
      sendJson(response, 401, unauthorized('This dashboard needs its token.'));
      return;
    }
    if (!api) {
      await serveStatic(request, response, url.path);
      return;
    }
    await read(response, url);
  }

  async function read(response: ServerResponse, url: RequestUrl): Promise<void> {
    const { path, params } = url;
    const runMatch = /^\/api\/runs\/([^/]+)$/.exec(url.rawPath);
    const sweepMatch = /^\/api\/sweeps\/([^/]+)$/.exec(url.rawPath);
    if (path === '/api/health')
      sendJson(response, 200, {
        ok: true,
        tokenRequired: token !== undefined,
        queue: options.control !== undefined,
        readOnly: options.readOnly === true,
      });
    else if (path === '/api/events') live.attach(response);
    else if (path === '/api/sweeps') sendJson(response, 200, await listSweeps(ctx));
    else if (path === '/api/columns') sendJson(response, 200, await listColumns(ctx, params));
    else if (path === '/api/columns/varying') sendJson(response, 200, await varyingColumns(ctx, params));
    else if (path === '/api/runs') sendJson(response, 200, await listRunsTable(ctx, params));
    else if (path === '/api/runs/groups') sendJson(response, 200, await groupRunsTable(ctx, params));
    else if (path === '/api/runs/groups/curves') sendJson(response, 200, await groupCurvesOf(ctx, params));
    else if (path === '/api/runs/export.csv') await sendCsv(response, params);
    else if (path === '/api/compare') sendJson(response, 200, await compareRuns(ctx, params));
    else if (path === '/api/workers') sendJson(response, 200, await listWorkers(ctx));
    else if (sweepMatch?.[1] !== undefined)
      sendJson(response, 200, await sweepDetail(ctx, decodeComponent(sweepMatch[1], 'sweep id')));
    else if (runMatch?.[1] !== undefined)
      sendJson(response, 200, await runDetail(ctx, decodeComponent(runMatch[1], 'run id')));
    else sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `No endpoint ${path}.` } });
  }

  /**
   * A browser opens the dashboard once with `?token=` (the link `ltlab serve` describes): it gets
   * the session cookie and is sent to the same page without the token, which so stays out of the
   * address bar, the history and Referer headers.
   */
  function login(request: IncomingMessage, response: ServerResponse, url: RequestUrl): void {
    if (token !== undefined && !tokenMatches(token, url.params.token)) {
      sendJson(response, 401, unauthorized("The token in the link is not this dashboard's."));
      return;
    }
    const rest = new URLSearchParams(Object.entries(url.params).filter(([key]) => key !== 'token')).toString();
    // One leading slash: `//host` would be another site's address.
    const location = `/${url.rawPath.replace(/^\/+/, '')}${rest === '' ? '' : `?${rest}`}`;
    response.writeHead(303, {
      location,
      'cache-control': 'no-store',
      ...(token === undefined ? {} : { 'set-cookie': sessionCookie(cookieName, token, servedOverTls(request)) }),
    });
    response.end();
  }

  async function mutate(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (options.readOnly === true) {
      sendJson(response, 403, {
        error: {
          code: 'READ_ONLY',
          message: 'This dashboard only browses the store.',
          fix: 'Make changes through `ltlab serve` (without --read-only) or the ltlab CLI.',
        },
      });
      return;
    }
    const credential = token === undefined ? null : credentialOf(request, token, cookieName);
    if (token !== undefined && credential === null) {
      sendJson(response, 401, unauthorized('This dashboard needs its token for changes.'));
      return;
    }
    // A browser's cookie rides along with any request to this host: a change made with it must
    // come from a page of this dashboard (browsers send Origin with every POST).
    const origin = sameOrigin(request);
    if (origin === false || (credential === 'cookie' && origin !== true)) {
      sendJson(response, 403, {
        error: {
          code: 'FORBIDDEN',
          message: `Changes are accepted from this dashboard's own pages only (Origin ${JSON.stringify(request.headers.origin ?? '')}).`,
          fix: 'Use the dashboard itself, or send the token as Authorization: Bearer <token>. A reverse proxy must pass the Host header on.',
        },
      });
      return;
    }
    // A JSON content type cannot be sent cross-origin without a CORS preflight, which we never grant.
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(response, 415, { error: { code: 'CONFIG.INVALID', message: 'Send the body as application/json.' } });
      return;
    }
    const body = parseOrThrow(runIdsBodySchema, await readJson(request), 'request body');
    if (path === '/api/runs/cancel') {
      const cancelled =
        options.control === undefined
          ? await options.store.cancelRuns(body.ids, new Date())
          : await options.control.cancel(body.ids);
      live.notify();
      sendJson(response, 200, { cancelled });
    } else if (path === '/api/runs/retry') {
      if (options.control === undefined) {
        sendJson(response, 501, {
          error: {
            code: 'QUEUE.UNAVAILABLE',
            message: 'This dashboard has no queue attached.',
            fix: 'Run it through `ltlab serve`.',
          },
        });
        return;
      }
      const retried = await options.control.retry(body.ids);
      live.notify();
      sendJson(response, 200, { retried });
    } else {
      sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `No endpoint ${path}.` } });
    }
  }

  /** The `ltlab runs export` CSV of the view; the header comes first, so errors still answer JSON. */
  async function sendCsv(response: ServerResponse, params: Record<string, string>): Promise<void> {
    const chunks = runsExportCsv(options.store, exportScope(params));
    const header = await chunks.next();
    response.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="runs.csv"',
    });
    if (!header.done) response.write(header.value);
    for await (const chunk of chunks) response.write(chunk);
    response.end();
  }

  async function serveStatic(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (!existsSync(join(uiDir, 'index.html'))) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The dashboard UI is not built. Run `npm run build:ui -w @ltlab/dashboard`.\n');
      return;
    }
    const target = normalize(join(uiDir, path));
    const inside = target.startsWith(uiDir + sep);
    const file = inside && extname(target) !== '' && existsSync(target) ? target : join(uiDir, 'index.html');
    const body = await readFile(file);
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (!isCompressible(extname(file), body.length)) {
      response.writeHead(200, headers);
      response.end(body);
      return;
    }
    // The bundle is ~1 MB of JavaScript and ~300 kB gzipped: send it compressed when the client takes it.
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    const sent = encoding === null ? body : await compressed.get(file, (await stat(file)).mtimeMs, body, encoding);
    response.writeHead(200, {
      ...headers,
      vary: 'accept-encoding',
      'content-length': String(sent.length),
      ...(encoding === null ? {} : { 'content-encoding': encoding }),
    });
    response.end(sent);
  }

  const port = options.port ?? 7420;
  await new Promise<void>((resolveListen, reject) => {
    const failed = (error: Error) => reject(listenError(error, host, port));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  cookieName = sessionCookieName(address.port);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    notify: () => live.notify(),
    async close() {
      live.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new LtlabError('CONFIG.INVALID', 'The request body is over 1 MiB.', { fix: 'Send fewer ids at once.' });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new LtlabError('CONFIG.INVALID', 'The request body is not JSON.', { fix: 'Send {"ids": [...]} as JSON.' });
  }
}

function unauthorized(message: string) {
  return {
    error: {
      code: 'UNAUTHORIZED',
      message,
      fix: 'Open the dashboard once as http://<host>:<port>/?token=<token> (the browser keeps a session cookie), or send Authorization: Bearer <token>.',
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(text);
}

function sendError(response: ServerResponse, error: unknown): void {
  const status = statusOf(error);
  const body =
    error instanceof LtlabError
      ? { code: error.code, message: error.message, fix: error.fix, details: error.details }
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  if (response.headersSent) {
    response.end();
    return;
  }
  sendJson(response, status, { error: body });
}
