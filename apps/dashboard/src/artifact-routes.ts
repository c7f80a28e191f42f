import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { isLtlabError } from '@ltlab/core';

/** A file of a run as the service lists it (`path` relative to the run's directory). */
export interface ArtifactFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * The storage behind the artifact service: `ltlab serve` passes the orchestrator's
 * LocalArtifactStore on its artifact root (temp file, fsync, rename; sha256 sidecars).
 */
export interface ArtifactBackend {
  putStream(
    runId: string,
    relPath: string,
    source: NodeJS.ReadableStream,
    options: { expectedSha256?: string; maxBytes?: number },
  ): Promise<{ sha256: string; sizeBytes: number }>;
  open(runId: string, relPath: string): Promise<{ entry: ArtifactFile; stream: NodeJS.ReadableStream } | null>;
  list(runId: string): Promise<ArtifactFile[]>;
  delete(runId: string, relPath: string): Promise<boolean>;
}

export interface ArtifactServiceOptions {
  backend: ArtifactBackend;
  /** Uploads larger than this are refused with 413 (`ltlab serve --artifact-max-mb`). */
  maxBytes: number;
}

export interface ArtifactRoutesOptions {
  service?: ArtifactServiceOptions;
  readOnly: boolean;
  /** Whether the request carries the dashboard's token; changes need it in a header (programs), not a cookie. */
  authorized: (request: IncomingMessage, change: boolean) => boolean;
}

export const ARTIFACTS_PREFIX = '/api/artifacts/';
const SHA256_HEADER = 'x-ltlab-sha256';
/** A path segment after %-decoding: a plain name, so neither `..`, `.`, `/` nor `\` (docs/deploy.md). */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;
const MAX_SEGMENTS = 9;

/** Whether a request is for the artifact service, judged on the target as sent (before any dot-segment resolution). */
export function isArtifactRequest(request: IncomingMessage): boolean {
  return (request.url ?? '').startsWith(ARTIFACTS_PREFIX);
}

/**
 * The control host's artifact service on the dashboard's server, behind its token, so GPU nodes
 * need only Redis and this URL (docs/deploy.md "Artifacts across hosts"):
 * `PUT /api/artifacts/<run>/<path>` with `x-ltlab-sha256` streams the body to a temporary file
 * while hashing it and publishes it by rename only when the hash matches (else 422, nothing
 * published); `GET` streams a file with its sha256 header; `GET /api/artifacts/<run>/` lists the
 * run's files; `DELETE` removes one. Path segments are checked after %-decoding (400 for `..`,
 * absolute or encoded separators); `--read-only` refuses changes.
 */
export function createArtifactRoutes(options: ArtifactRoutesOptions) {
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A client cut off mid-transfer (its worker died, the network dropped) fails that transfer only.
    request.on('error', () => undefined);
    const method = request.method ?? 'GET';
    const change = method === 'PUT' || method === 'DELETE';
    if (method !== 'GET' && !change) {
      refuse(request, response, 405, 'METHOD', `${method} is not allowed on artifacts.`, 'Use GET, PUT or DELETE.');
      return;
    }
    if (!options.authorized(request, change)) {
      refuse(
        request,
        response,
        401,
        'UNAUTHORIZED',
        change ? 'Artifact uploads and deletions need the token in a header.' : 'Artifacts need the token.',
        'Send Authorization: Bearer <token> (the dashboard token, LTLAB_TOKEN on workers).',
      );
      return;
    }
    if (change && options.readOnly) {
      refuse(
        request,
        response,
        403,
        'READ_ONLY',
        'This dashboard only browses the store.',
        'Upload through `ltlab serve` without --read-only.',
      );
      return;
    }
    const service = options.service;
    if (service === undefined) {
      refuse(
        request,
        response,
        404,
        'NOT_FOUND',
        'This server has no artifact service.',
        'Run `ltlab serve` on the control host.',
      );
      return;
    }
    const target = parseTarget(request.url ?? '');
    if (target === null) {
      refuse(
        request,
        response,
        400,
        'CONFIG.INVALID',
        'The artifact path is not /api/artifacts/<run id>/<relative path of plain names>.',
        'Name a file inside the run directory, e.g. /api/artifacts/<run>/checkpoints/epoch-00004.ckpt (no `..`, no encoded `/`).',
      );
      return;
    }
    const { runId, relPath } = target;
    try {
      if (relPath === null) {
        if (method !== 'GET') {
          refuse(
            request,
            response,
            405,
            'METHOD',
            `${method} needs a file path.`,
            'PUT or DELETE /api/artifacts/<run>/<path>.',
          );
          return;
        }
        sendJson(response, 200, { runId, files: await service.backend.list(runId) });
      } else if (method === 'PUT') await put(request, response, service, runId, relPath);
      else if (method === 'DELETE') sendJson(response, 200, { deleted: await service.backend.delete(runId, relPath) });
      else await get(response, service, runId, relPath);
    } catch (error) {
      sendFailure(request, response, error);
    }
  }

  async function put(
    request: IncomingMessage,
    response: ServerResponse,
    service: ArtifactServiceOptions,
    runId: string,
    relPath: string,
  ): Promise<void> {
    const sha256 = request.headers[SHA256_HEADER];
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      refuse(
        request,
        response,
        400,
        'CONFIG.INVALID',
        `The upload has no valid ${SHA256_HEADER} header (64 lower-case hex).`,
        'Send the sha256 of the body.',
      );
      return;
    }
    const length = Number(request.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(length) && length > service.maxBytes) {
      refuse(
        request,
        response,
        413,
        'CONFIG.INVALID',
        `The upload of ${length} bytes is over the limit of ${service.maxBytes}.`,
        'Raise ltlab serve --artifact-max-mb.',
      );
      return;
    }
    const stored = await service.backend.putStream(runId, relPath, request, {
      expectedSha256: sha256,
      maxBytes: service.maxBytes,
    });
    sendJson(response, 201, { runId, path: relPath, ...stored });
  }

  async function get(
    response: ServerResponse,
    service: ArtifactServiceOptions,
    runId: string,
    relPath: string,
  ): Promise<void> {
    const opened = await service.backend.open(runId, relPath);
    if (opened === null) {
      sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `Run ${runId} has no ${relPath}.` } });
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(opened.entry.sizeBytes),
      'cache-control': 'no-store',
      [SHA256_HEADER]: opened.entry.sha256,
    });
    await pipeline(opened.stream, response);
  }

  return { handle };
}

/** `<run>/` (a listing: relPath null) or `<run>/<path>`, each segment %-decoded and checked; null if malformed. */
export function parseTarget(url: string): { runId: string; relPath: string | null } | null {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(ARTIFACTS_PREFIX)) return null;
  const raw = path.slice(ARTIFACTS_PREFIX.length).split('/');
  const listing = raw.length === 2 && raw[1] === '';
  const segments: string[] = [];
  for (const part of listing ? raw.slice(0, 1) : raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (!SEGMENT.test(decoded)) return null;
    segments.push(decoded);
  }
  const [runId, ...rest] = segments;
  if (runId === undefined || segments.length > MAX_SEGMENTS || (!listing && rest.length === 0)) return null;
  return { runId, relPath: listing ? null : rest.join('/') };
}

function sendFailure(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (isLtlabError(error)) {
    const reason = error.details?.reason;
    const status =
      reason === 'sha256-mismatch' ? 422 : reason === 'too-large' ? 413 : error.code === 'CONFIG.INVALID' ? 400 : 500;
    refuse(request, response, status, error.code, error.message, error.fix ?? '');
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  refuse(request, response, 500, 'INTERNAL', message, 'See the serve log.');
}

/**
 * An error answer. When the request body was not read, the connection is closed after it: the
 * client may still be sending hundreds of MB that nothing will read.
 */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  fix: string,
): void {
  if (!request.complete) response.setHeader('connection', 'close');
  sendJson(response, status, { error: { code, message, ...(fix === '' ? {} : { fix }) } });
  if (!request.complete) request.resume();
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
