import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { issuesOf, LtlabError } from '@ltlab/core';
import { z } from 'zod';

/**
 * One checkpoint file: `LTLABCK1`, a uint32 header length, the JSON header, then the tensor
 * bytes. The header holds the sha256 of the payload, so a partial or damaged file is detected
 * on read. Files are written to a temp name, synced and renamed: a crash leaves the old file or
 * the new one, never a torn one.
 */
const MAGIC = Buffer.from('LTLABCK1', 'ascii');

const tensorEntrySchema = z.object({
  name: z.string(),
  dtype: z.enum(['float32', 'int32']),
  shape: z.array(z.number().int().min(0)),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
});

const headerSchema = z.object({
  format: z.literal(1),
  payloadBytes: z.number().int().min(0),
  payloadSha256: z.string(),
  tensors: z.array(tensorEntrySchema),
  /** Everything else the trainer needs (epoch, step, RNG and sampler state, metrics). */
  state: z.record(z.string(), z.unknown()),
});

export interface CheckpointTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

export interface CheckpointContents {
  tensors: Record<string, CheckpointTensor>;
  state: Record<string, unknown>;
}

export function writeCheckpoint(path: string, contents: CheckpointContents): { sizeBytes: number; sha256: string } {
  const entries: Array<z.infer<typeof tensorEntrySchema>> = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(contents.tensors)) {
    const bytes = Buffer.from(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength);
    entries.push({ name, dtype: tensor.dtype, shape: tensor.shape, offset, length: bytes.length });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const payload = Buffer.concat(chunks);
  const payloadSha256 = createHash('sha256').update(payload).digest('hex');
  const header = Buffer.from(
    JSON.stringify({ format: 1, payloadBytes: payload.length, payloadSha256, tensors: entries, state: contents.state }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const file = Buffer.concat([MAGIC, length, header, payload]);

  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, file);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  syncDirectory(dirname(path));
  return { sizeBytes: file.length, sha256: createHash('sha256').update(file).digest('hex') };
}

/**
 * Reads and verifies one checkpoint. A file that does not read back intact is CHECKPOINT.CORRUPT
 * with `details.reason`, the damage in a few words (`truncated: ...`, `payload checksum
 * mismatch`), which a resume reports for the file it rejects.
 */
export function readCheckpoint(path: string): CheckpointContents {
  const corrupt = (why: string, cause?: unknown) =>
    new LtlabError('CHECKPOINT.CORRUPT', `Checkpoint ${path} is damaged: ${why}.`, {
      fix: 'A resume skips it for the previous checkpoint; delete it if this repeats.',
      details: { path, reason: why },
      ...(cause === undefined ? {} : { cause }),
    });
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (cause) {
    throw corrupt(`unreadable (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
  }
  if (file.length < 12 || !file.subarray(0, 8).equals(MAGIC)) throw corrupt('not an ltlab checkpoint');
  const headerLength = file.readUInt32LE(8);
  if (12 + headerLength > file.length)
    throw corrupt(`truncated: ${file.length} bytes, shorter than its ${headerLength}-byte header`);
  let json: unknown;
  try {
    json = JSON.parse(file.subarray(12, 12 + headerLength).toString('utf8'));
  } catch (cause) {
    throw corrupt('unreadable JSON header', cause);
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    const fields = issuesOf(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
    throw corrupt(`header lacks fields (${fields.join('; ')})`);
  }
  const header = parsed.data;
  const payload = file.subarray(12 + headerLength);
  if (payload.length < header.payloadBytes)
    throw corrupt(`truncated: payload is ${payload.length} of ${header.payloadBytes} bytes`);
  if (payload.length > header.payloadBytes)
    throw corrupt(`payload is ${payload.length} bytes, expected ${header.payloadBytes}`);
  if (createHash('sha256').update(payload).digest('hex') !== header.payloadSha256)
    throw corrupt('payload checksum mismatch');
  const tensors: Record<string, CheckpointTensor> = {};
  for (const entry of header.tensors) {
    // The checksum covers the payload, not the header: a damaged offset or length shows here.
    const elements = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.offset + entry.length > payload.length || entry.length !== elements * 4)
      throw corrupt(`tensor ${entry.name} does not fit its shape`);
    const bytes = new Uint8Array(payload.subarray(entry.offset, entry.offset + entry.length)); // aligned copy
    const values = entry.dtype === 'float32' ? new Float32Array(bytes.buffer) : new Int32Array(bytes.buffer);
    tensors[entry.name] = { shape: entry.shape, dtype: entry.dtype, values };
  }
  return { tensors, state: header.state };
}

export interface CheckpointRef {
  path: string;
  /** Epochs completed when it was written: the 1-based number of its last epoch. */
  epoch: number;
}

const EPOCH_FILE = /^epoch-(\d{5})\.ckpt$/;

/** `epoch-00008.ckpt` after epoch 8 (epochs count from 1, as in every event and view). */
export function epochCheckpointPath(dir: string, epoch: number): string {
  return join(dir, `epoch-${String(epoch).padStart(5, '0')}.ckpt`);
}

/** The best epoch's copy, kept apart from `keepLast` (never resumed from). */
export function bestCheckpointPath(dir: string): string {
  return join(dir, 'best.ckpt');
}

/** Epoch checkpoints in `dir`, newest first. */
export function listCheckpoints(dir: string): CheckpointRef[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const match = EPOCH_FILE.exec(name);
      return match === null ? [] : [{ path: join(dir, name), epoch: Number(match[1]) }];
    })
    .sort((a, b) => b.epoch - a.epoch);
}

/**
 * Deletes all but the newest `keep` epoch checkpoints (and stray temp files); returns the paths
 * of the epoch files it deleted, so they can be reported as gone.
 */
export function pruneCheckpoints(dir: string, keep: number): string[] {
  const removed = listCheckpoints(dir).slice(keep);
  for (const ref of removed) rmSync(ref.path, { force: true });
  for (const name of readdirSync(dir)) if (name.includes('.ckpt.tmp-')) rmSync(join(dir, name), { force: true });
  return removed.map((ref) => ref.path);
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems do not allow syncing a directory; the rename is still atomic.
  }
}
