import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LtlabError } from '@ltlab/core';
import type { StoredArtifact } from './artifact-store.js';

export interface AtomicWriteOptions {
  /** Publish only if the bytes hash to this (lower-case hex); else nothing is published. */
  expectedSha256?: string;
  /** Refuse a stream longer than this many bytes (nothing is published). */
  maxBytes?: number;
}

/** A hidden name beside `target`: listings skip it, and a rename within one directory is atomic. */
export function tempNameFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
}

/**
 * Streams `source` into a temporary file beside `target` while hashing it, syncs it, and renames it
 * into place (then syncs the directory, so the rename survives a crash): readers see the old file
 * or the new one, never a torn one (docs/architecture.md §7). A hash mismatch or an oversized
 * stream removes the temporary file and leaves `target` as it was.
 */
export async function writeStreamAtomically(
  source: NodeJS.ReadableStream,
  target: string,
  options: AtomicWriteOptions = {},
): Promise<StoredArtifact> {
  // The pipeline below reports a failing source; until it is attached, an error must not go uncaught.
  source.on('error', () => undefined);
  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = tempNameFor(target);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const { maxBytes } = options;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sizeBytes += chunk.length;
      if (maxBytes !== undefined && sizeBytes > maxBytes) {
        done(
          new LtlabError('CONFIG.INVALID', `${basename(target)} is larger than the limit of ${maxBytes} bytes.`, {
            fix: 'Raise the artifact size limit of the store (ltlab serve --artifact-max-mb), or keep fewer tensors in the checkpoint.',
            details: { field: 'sizeBytes', reason: 'too-large', maxBytes },
          }),
        );
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, hashing, createWriteStream(temp, { flags: 'wx' }));
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const sha256 = hash.digest('hex');
    if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256) {
      throw new LtlabError(
        'CHECKPOINT.CORRUPT',
        `${basename(target)}: the ${sizeBytes} bytes received hash to sha256 ${sha256}, not ${options.expectedSha256}.`,
        {
          fix: 'Send the file again; if it keeps failing, the file changed while it was sent or the network corrupts data.',
          details: { reason: 'sha256-mismatch', expected: options.expectedSha256, actual: sha256 },
        },
      );
    }
    await rename(temp, target);
    await syncDirectory(dir);
    return { sha256, sizeBytes };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** fsync of a directory makes a rename in it durable; some file systems refuse it (nothing to do there). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EINVAL on file systems without directory fsync: the rename is as durable as they allow.
  }
}
