import { type FileHandle, open } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isLtlabError, LtlabError, parseOrThrow, redactUrl } from '@ltlab/core';
import { checkArtifactPath, checkRunId } from './artifact-path.js';
import { type ArtifactEntry, type ArtifactStore, artifactListSchema, type StoredArtifact } from './artifact-store.js';
import { writeStreamAtomically } from './atomic-file.js';
import { backoffDelayMs } from './backoff.js';
import { fileDigest } from './file-digest.js';

/** The header that carries a file's sha256, both ways. */
export const SHA256_HEADER = 'x-ltlab-sha256';

export interface HttpArtifactStoreOptions {
  /** The control host's dashboard address (`http://10.0.0.10:7420/`); artifacts are under `api/artifacts/`. */
  url: string;
  /** The dashboard's token (LTLAB_TOKEN), sent as `Authorization: Bearer`. */
  token?: string;
  /** Tries per transfer, the first included (default 8). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A connection silent this long is dropped and retried (default 60 s). */
  idleTimeoutMs?: number;
  log?: (line: string) => void;
  random?: () => number;
}

/** How one try ended: `transient` is retried with backoff, `mismatch` once more, `permanent` never. */
class TryFailure extends Error {
  constructor(
    readonly kind: 'transient' | 'mismatch' | 'permanent',
    readonly error: LtlabError,
  ) {
    super(error.message);
  }
}

interface Response {
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

/**
 * The client of `ltlab serve`'s artifact service (docs/deploy.md "Artifacts across hosts"), so a
 * GPU node needs only Redis and the control host's URL. Uploads and downloads are streamed.
 * A connection error or a 5xx is retried with exponential backoff and jitter, up to `attempts`
 * tries; a 4xx never is (the request itself is wrong: a token, a path, a size limit); a hash
 * mismatch the server reports (422) is retried once, with the file hashed again, then reported
 * as CHECKPOINT.CORRUPT. Exhausted tries end in CHECKPOINT.UNAVAILABLE (retryable).
 */
export class HttpArtifactStore implements ArtifactStore {
  readonly #base: URL;
  readonly #options: HttpArtifactStoreOptions;
  readonly #attempts: number;

  constructor(options: HttpArtifactStoreOptions) {
    let base: URL;
    try {
      base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    } catch {
      base = new URL('invalid:');
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new LtlabError(
        'CONFIG.INVALID',
        `LTLAB_ARTIFACT_URL ${JSON.stringify(options.url)} is not an http(s) URL.`,
        {
          fix: "Set LTLAB_ARTIFACT_URL to the control host's dashboard address, e.g. http://10.0.0.10:7420/.",
          details: { field: 'LTLAB_ARTIFACT_URL' },
        },
      );
    }
    this.#base = base;
    this.#options = options;
    this.#attempts = Math.max(1, options.attempts ?? 8);
  }

  get location(): string {
    return redactUrl(this.#base.href);
  }

  async put(runId: string, relPath: string, file: string): Promise<StoredArtifact> {
    const url = this.#fileUrl(runId, relPath);
    const path = resolve(file);
    return await this.#retrying(`upload ${runId}/${relPath}`, async () => {
      // One handle per try for both passes: the hash and the bytes sent belong to the same file,
      // even when the trainer renames a newer best.ckpt into place meanwhile.
      const handle = await open(path, 'r');
      try {
        const { sha256, sizeBytes } = await fileDigest(handle);
        const response = await this.#send('PUT', url, {
          headers: {
            [SHA256_HEADER]: sha256,
            'content-length': String(sizeBytes),
            'content-type': 'application/octet-stream',
          },
          body: handle,
        });
        const stored = (await readJson(response.body)) as Partial<StoredArtifact> | null;
        if (stored?.sha256 !== sha256) {
          throw new TryFailure('mismatch', mismatch(`${runId}/${relPath}`, sha256, String(stored?.sha256)));
        }
        return { sha256, sizeBytes };
      } finally {
        // The body stream may have closed it already when the request was cut off.
        await handle.close().catch(() => undefined);
      }
    });
  }

  async get(runId: string, relPath: string, destFile: string, expectedSha256?: string): Promise<StoredArtifact> {
    const url = this.#fileUrl(runId, relPath);
    return await this.#retrying(`download ${runId}/${relPath}`, async () => {
      const response = await this.#send('GET', url, {});
      const announced = response.headers[SHA256_HEADER];
      if (typeof announced !== 'string' || (expectedSha256 !== undefined && announced !== expectedSha256)) {
        response.body.resume();
        // The store holds another version than the listing said (replaced meanwhile): list again.
        throw new TryFailure(
          'mismatch',
          mismatch(`${runId}/${relPath}`, expectedSha256 ?? '(a sha256 header)', String(announced)),
        );
      }
      try {
        return await writeStreamAtomically(response.body, resolve(destFile), { expectedSha256: announced });
      } catch (error) {
        if (isLtlabError(error) && error.details?.reason === 'sha256-mismatch') throw new TryFailure('mismatch', error);
        throw error;
      }
    });
  }

  async list(runId: string): Promise<ArtifactEntry[]> {
    checkRunId(runId);
    const url = new URL(`api/artifacts/${encodeURIComponent(runId)}/`, this.#base);
    return await this.#retrying(`list ${runId}`, async () => {
      const response = await this.#send('GET', url, {});
      const body = await readJson(response.body);
      return parseOrThrow(artifactListSchema, body, `artifact list of ${runId}`).files;
    });
  }

  async delete(runId: string, relPath: string): Promise<boolean> {
    const url = this.#fileUrl(runId, relPath);
    return await this.#retrying(`delete ${runId}/${relPath}`, async () => {
      const response = await this.#send('DELETE', url, {});
      const body = (await readJson(response.body)) as { deleted?: unknown } | null;
      return body?.deleted === true;
    });
  }

  #fileUrl(runId: string, relPath: string): URL {
    const segments = checkArtifactPath(runId, relPath);
    return new URL(`api/artifacts/${[runId, ...segments].map(encodeURIComponent).join('/')}`, this.#base);
  }

  async #retrying<T>(what: string, once: () => Promise<T>): Promise<T> {
    let mismatches = 0;
    let last: LtlabError | null = null;
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        return await once();
      } catch (thrown) {
        const failure = classify(thrown);
        if (failure.kind === 'permanent') throw failure.error;
        if (failure.kind === 'mismatch' && ++mismatches > 1) throw failure.error;
        last = failure.error;
        if (attempt === this.#attempts) break;
        const delay = backoffDelayMs(
          attempt,
          { baseMs: this.#options.baseDelayMs ?? 500, maxMs: this.#options.maxDelayMs ?? 15_000 },
          this.#options.random,
        );
        this.#options.log?.(
          `artifacts: ${what} try ${attempt} of ${this.#attempts} failed (${failure.error.message}); next in ${(delay / 1000).toFixed(1)} s`,
        );
        await new Promise((done) => setTimeout(done, delay));
      }
    }
    throw new LtlabError(
      'CHECKPOINT.UNAVAILABLE',
      `Could not ${what} through ${this.location} in ${this.#attempts} tries: ${last?.message ?? 'no answer'}.`,
      {
        fix: 'Check that `ltlab serve` runs on the control host and that LTLAB_ARTIFACT_URL reaches it from this node.',
        details: { url: this.location },
        ...(last === null ? {} : { cause: last }),
      },
    );
  }

  /** One request; resolves with a 2xx response, throws a TryFailure for anything else. */
  #send(method: string, url: URL, init: { headers?: Record<string, string>; body?: FileHandle }): Promise<Response> {
    const token = this.#options.token;
    const headers: Record<string, string> = {
      ...init.headers,
      ...(token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` }),
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolveResponse, reject) => {
      const req = request(url, { method, headers, timeout: this.#options.idleTimeoutMs ?? 60_000 });
      req.on('timeout', () => req.destroy(new Error(`no answer for ${this.#options.idleTimeoutMs ?? 60_000} ms`)));
      req.on('error', (error) => reject(new TryFailure('transient', connectionError(this.location, error))));
      req.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          response.on('error', () => undefined);
          resolveResponse({ status, headers: response.headers, body: response });
          return;
        }
        void readJson(response)
          .catch(() => null)
          .then((body) => reject(statusFailure(status, body, `${method} ${redactUrl(url.href)}`)));
      });
      if (init.body === undefined) {
        req.end();
        return;
      }
      // Errors of the body stream surface as the request's error (then retried).
      pipeline(init.body.createReadStream({ start: 0, autoClose: false }), req).catch((error: unknown) =>
        req.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }
}

function classify(thrown: unknown): TryFailure {
  if (thrown instanceof TryFailure) return thrown;
  if (isLtlabError(thrown) && !thrown.retryable) return new TryFailure('permanent', thrown);
  // A body cut off mid-stream (the server went away) and the like: another try may succeed.
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  return new TryFailure('transient', isLtlabError(error) ? error : connectionError('the artifact service', error));
}

function connectionError(where: string, error: Error): LtlabError {
  const code = (error as NodeJS.ErrnoException).code;
  return new LtlabError(
    'CHECKPOINT.UNAVAILABLE',
    `${where}: ${code === undefined ? error.message : `${code} (${error.message})`}`,
    {
      cause: error,
    },
  );
}

function mismatch(what: string, expected: string, actual: string): LtlabError {
  return new LtlabError('CHECKPOINT.CORRUPT', `${what}: sha256 ${actual} where ${expected} was expected.`, {
    fix: 'The file changed while it was sent, or the network corrupts data; it was not published.',
    details: { reason: 'sha256-mismatch', expected, actual },
  });
}

function statusFailure(status: number, body: unknown, what: string): TryFailure {
  const error = (body as { error?: { message?: unknown; fix?: unknown } } | null)?.error;
  const said = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const message = `${what}: ${status} ${said}`;
  if (status >= 500 || status === 429 || status === 408) {
    return new TryFailure('transient', new LtlabError('CHECKPOINT.UNAVAILABLE', message));
  }
  if (status === 422)
    return new TryFailure(
      'mismatch',
      new LtlabError('CHECKPOINT.CORRUPT', message, { details: { reason: 'sha256-mismatch' } }),
    );
  if (status === 404) {
    return new TryFailure(
      'permanent',
      new LtlabError('CHECKPOINT.UNAVAILABLE', message, {
        retryable: false,
        fix: 'List the run again: the file was pruned or never stored.',
      }),
    );
  }
  const fix =
    status === 401 || status === 403
      ? "Set LTLAB_TOKEN on this node to the control host's dashboard token (ltlab serve --token / LTLAB_TOKEN); the service refuses changes when serve runs --read-only."
      : typeof error?.fix === 'string'
        ? error.fix
        : 'Check the request: the path, the size limit of the artifact service (ltlab serve --artifact-max-mb).';
  return new TryFailure('permanent', new LtlabError('CONFIG.INVALID', message, { fix, details: { status } }));
}

async function readJson(stream: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > 16 << 20)
      throw new LtlabError('CHECKPOINT.UNAVAILABLE', 'The artifact service answered over 16 MiB of JSON.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? null : (JSON.parse(text) as unknown);
}
