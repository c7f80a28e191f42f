import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileDigest } from './file-digest.js';

describe('fileDigest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-digest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Larger than one read chunk (64 KiB), so every chunk must be counted.
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
  const file = join(dir, 'epoch-00001.ckpt');
  writeFileSync(file, bytes);
  const expected = { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };

  it('hashes a file by path', async () => {
    expect(await fileDigest(file)).toEqual(expected);
  });

  it('hashes an open handle from its start and leaves it open', async () => {
    const handle = await open(file, 'r');
    try {
      await handle.read(Buffer.alloc(10), 0, 10, 0);
      expect(await fileDigest(handle)).toEqual(expected);
      expect(await fileDigest(handle)).toEqual(expected);
    } finally {
      await handle.close();
    }
  });
});
