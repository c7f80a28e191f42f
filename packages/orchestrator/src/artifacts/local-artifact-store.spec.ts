import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalArtifactStore } from './local-artifact-store.js';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-local-store-'));
  const store = new LocalArtifactStore(join(dir, 'store'));
  const file = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  return { dir, store, file };
}

describe('LocalArtifactStore', () => {
  it('stores, lists and fetches a file with its sha256', async () => {
    const { dir, store, file } = fixture();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const stored = await store.put('run-1', 'checkpoints/epoch-00001.ckpt', file('a', data));
    expect(stored).toEqual({ sha256: sha(data), sizeBytes: data.length });
    expect(await store.list('run-1')).toEqual([
      { path: 'checkpoints/epoch-00001.ckpt', sizeBytes: data.length, sha256: sha(data) },
    ]);
    const dest = join(dir, 'cache', 'run-1', 'checkpoints', 'epoch-00001.ckpt');
    expect(await store.get('run-1', 'checkpoints/epoch-00001.ckpt', dest)).toEqual(stored);
    expect(readFileSync(dest).equals(data)).toBe(true);
    // Neither temporary files nor sidecars show up, and none is left behind in the destination.
    expect(readdirSync(join(dir, 'cache', 'run-1', 'checkpoints'))).toEqual(['epoch-00001.ckpt']);
  });

  it('publishes nothing when the hash differs, keeping the previous version', async () => {
    const { store } = fixture();
    const old = Buffer.from('old version');
    await store.putStream('run-1', 'checkpoints/best.ckpt', Readable.from([old]));
    await expect(
      store.putStream('run-1', 'checkpoints/best.ckpt', Readable.from([Buffer.from('new version')]), {
        expectedSha256: sha(Buffer.from('something else')),
      }),
    ).rejects.toMatchObject({ code: 'CHECKPOINT.CORRUPT', details: { reason: 'sha256-mismatch' } });
    expect(readFileSync(store.pathOf('run-1', 'checkpoints/best.ckpt')).equals(old)).toBe(true);
    expect(readdirSync(join(store.root, 'run-1', 'checkpoints')).filter((name) => name.endsWith('.partial'))).toEqual(
      [],
    );
  });

  it('refuses a stream over the size limit', async () => {
    const { store } = fixture();
    await expect(
      store.putStream('run-1', 'big', Readable.from([Buffer.alloc(100)]), { maxBytes: 99 }),
    ).rejects.toMatchObject({ code: 'CONFIG.INVALID', details: { reason: 'too-large' } });
    expect(await store.list('run-1')).toEqual([]);
  });

  it('hashes files written into the directory directly, and notices a stale sidecar', async () => {
    const { store, file } = fixture();
    await store.put('run-1', 'console.log', file('c', Buffer.from('first')));
    mkdirSync(join(store.root, 'run-1', 'checkpoints'), { recursive: true });
    const direct = Buffer.from('written by a trainer');
    writeFileSync(store.pathOf('run-1', 'checkpoints/epoch-00002.ckpt'), direct);
    // Rewritten behind the store's back: the sidecar's size no longer matches.
    writeFileSync(store.pathOf('run-1', 'console.log'), 'second, longer');
    expect(await store.list('run-1')).toEqual([
      { path: 'checkpoints/epoch-00002.ckpt', sizeBytes: direct.length, sha256: sha(direct) },
      { path: 'console.log', sizeBytes: 14, sha256: sha(Buffer.from('second, longer')) },
    ]);
  });

  it('fails a fetch whose bytes do not match the expected hash, leaving no file', async () => {
    const { dir, store, file } = fixture();
    await store.put('run-1', 'f', file('f', Buffer.from('data')));
    const dest = join(dir, 'out', 'f');
    await expect(store.get('run-1', 'f', dest, sha(Buffer.from('other')))).rejects.toMatchObject({
      code: 'CHECKPOINT.CORRUPT',
    });
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('deletes a file and its sidecar; a missing file is reported', async () => {
    const { store, file } = fixture();
    await store.put('run-1', 'f', file('f', Buffer.from('data')));
    expect(await store.delete('run-1', 'f')).toBe(true);
    expect(await store.delete('run-1', 'f')).toBe(false);
    expect(readdirSync(join(store.root, 'run-1'))).toEqual([]);
  });

  it('refuses paths outside the run directory', async () => {
    const { store, file } = fixture();
    await expect(store.put('run-1', '../run-2/f', file('f', Buffer.from('x')))).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
    });
    await expect(store.list('..')).rejects.toMatchObject({ code: 'CONFIG.INVALID' });
    await expect(store.get('run-1', 'missing', '/tmp/x')).rejects.toMatchObject({ code: 'CHECKPOINT.UNAVAILABLE' });
  });
});
