import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { StoredArtifact } from './artifact-store.js';

/**
 * The sha256 and size of a file's bytes, streamed (a checkpoint with optimizer state is hundreds
 * of MB). An open handle is read from its start and left open, for the caller to upload or
 * verify the same bytes it hashed.
 */
export async function fileDigest(file: string | FileHandle): Promise<StoredArtifact> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const stream =
    typeof file === 'string' ? createReadStream(file) : file.createReadStream({ start: 0, autoClose: false });
  for await (const chunk of stream) {
    sizeBytes += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
