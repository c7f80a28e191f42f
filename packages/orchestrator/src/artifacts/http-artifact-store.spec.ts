import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpArtifactStore } from './http-artifact-store.js';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const RUN = 'run-1';

/** A server answering each request by `reply(n)`, n counting from 1; it reads every body first. */
async function serve(reply: (n: number, request: IncomingMessage, body: Buffer, response: ServerResponse) => void) {
  let count = 0;
  const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      reply(++count, request, Buffer.concat(chunks), response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};
const client = (url: string) =>
  new HttpArtifactStore({ url, token: 'tok', attempts: 4, baseDelayMs: 10, maxDelayMs: 40 });
const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'ltlab-http-store-')), 'f');
  writeFileSync(path, text);
  return path;
};

describe('HttpArtifactStore', () => {
  it('sends the token, the hash and the bytes; retries 5xx with backoff', async () => {
    const server = await serve((n, _request, body, response) => {
      if (n < 3) json(response, 503, { error: { message: 'busy' } });
      else json(response, 201, { sha256: sha(body), sizeBytes: body.length });
    });
    expect(await client(server.url).put(RUN, 'checkpoints/epoch-00001.ckpt', file('weights'))).toEqual({
      sha256: sha('weights'),
      sizeBytes: 7,
    });
    expect(server.seen).toHaveLength(3);
    expect(server.seen[2]).toMatchObject({
      method: 'PUT',
      url: '/api/artifacts/run-1/checkpoints/epoch-00001.ckpt',
      headers: { authorization: 'Bearer tok', 'x-ltlab-sha256': sha('weights'), 'content-length': '7' },
    });
  });

  it('never retries a 4xx', async () => {
    const server = await serve((_n, _request, _body, response) =>
      json(response, 401, { error: { message: 'needs its token' } }),
    );
    await expect(client(server.url).list(RUN)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringContaining('401 needs its token'),
      fix: expect.stringContaining('LTLAB_TOKEN'),
    });
    expect(server.seen).toHaveLength(1);
  });

  it('retries a hash mismatch the server reports once, then reports it', async () => {
    const server = await serve((_n, _request, _body, response) =>
      json(response, 422, { error: { message: 'sha256 differs' } }),
    );
    await expect(client(server.url).put(RUN, 'f', file('x'))).rejects.toMatchObject({ code: 'CHECKPOINT.CORRUPT' });
    expect(server.seen).toHaveLength(2);
  });

  it('verifies a download against the announced and the expected hash', async () => {
    const server = await serve((n, _request, _body, response) => {
      const data = n === 1 ? 'damaged' : 'intact';
      response.writeHead(200, { 'x-ltlab-sha256': sha('intact'), 'content-length': String(data.length) });
      response.end(data);
    });
    const dest = join(mkdtempSync(join(tmpdir(), 'ltlab-http-get-')), 'out');
    // The first body does not hash to its header: retried once, then intact.
    expect(await client(server.url).get(RUN, 'f', dest, sha('intact'))).toEqual({
      sha256: sha('intact'),
      sizeBytes: 6,
    });
    expect(readFileSync(dest, 'utf8')).toBe('intact');
    await expect(client(server.url).get(RUN, 'f', dest, sha('another version'))).rejects.toMatchObject({
      code: 'CHECKPOINT.CORRUPT',
    });
  });

  it('ends in a retryable CHECKPOINT.UNAVAILABLE when nothing answers', async () => {
    const server = await serve(() => undefined);
    servers.pop()?.close();
    await expect(client(server.url).list(RUN)).rejects.toMatchObject({
      code: 'CHECKPOINT.UNAVAILABLE',
      retryable: true,
      message: expect.stringMatching(/in 4 tries: .*ECONNREFUSED/),
    });
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new HttpArtifactStore({ url: 'ftp://host/' })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', details: { field: 'LTLAB_ARTIFACT_URL' } }),
    );
  });
});
