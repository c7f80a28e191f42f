import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import {
  epochCheckpointPath,
  listCheckpoints,
  pruneCheckpoints,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoint-file.js';

const contents = (epoch: number) => ({
  tensors: {
    'backbone/conv1.weight': { shape: [2, 2], dtype: 'float32' as const, values: new Float32Array([1, 2, 3, epoch]) },
    'queue/labels': { shape: [3], dtype: 'int32' as const, values: new Int32Array([7, 8, 9]) },
  },
  state: { epoch, step: epoch * 10 },
});

describe('checkpoint files', () => {
  it('round-trip tensors and state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-ckpt-'));
    const path = epochCheckpointPath(dir, 3);
    const written = writeCheckpoint(path, contents(3));
    expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);
    const back = readCheckpoint(path);
    expect(back.state).toEqual({ epoch: 3, step: 30 });
    expect(Array.from(back.tensors['backbone/conv1.weight']?.values ?? [])).toEqual([1, 2, 3, 3]);
    expect(back.tensors['queue/labels']?.values).toBeInstanceOf(Int32Array);
  });

  it('says how a file is damaged: truncated, altered, not a checkpoint, unreadable header or missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-ckpt-'));
    const path = epochCheckpointPath(dir, 3);
    writeCheckpoint(path, contents(3));
    const good = readFileSync(path);
    const reasonOf = (bytes: Buffer | null) => {
      if (bytes === null) rmSync(path);
      else writeFileSync(path, bytes);
      try {
        readCheckpoint(path);
      } catch (error) {
        expect(error).toMatchObject({ code: 'CHECKPOINT.CORRUPT', message: expect.stringContaining(path) });
        return (error as LtlabError).details?.reason;
      }
      throw new Error('read a damaged checkpoint');
    };
    // A crash mid-write (without the rename that guards against it).
    expect(reasonOf(good.subarray(0, good.length - 5))).toBe(
      `truncated: payload is ${good.length - 5 - payloadStart(good)} of ${good.length - payloadStart(good)} bytes`,
    );
    expect(reasonOf(good.subarray(0, 20))).toMatch(/^truncated: 20 bytes, shorter than its \d+-byte header$/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0xff;
    expect(reasonOf(flipped)).toBe('payload checksum mismatch');
    const header = Buffer.from(good);
    header[12] = '!'.charCodeAt(0); // the JSON header's opening brace
    expect(reasonOf(header)).toBe('unreadable JSON header');
    expect(reasonOf(Buffer.from('PK\u0003\u0004 a zip file, say'))).toBe('not an ltlab checkpoint');
    expect(reasonOf(null)).toBe('unreadable (ENOENT)');
  });

  it('rejects a header whose tensor offsets or lengths were altered (the checksum covers only the payload)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-ckpt-'));
    const path = epochCheckpointPath(dir, 1);
    writeCheckpoint(path, contents(1));
    const text = readFileSync(path, 'latin1').replace('"length":16', '"length":15');
    writeFileSync(path, Buffer.from(text, 'latin1'));
    expect(() => readCheckpoint(path)).toThrow(
      expect.objectContaining({
        code: 'CHECKPOINT.CORRUPT',
        details: { path, reason: 'tensor backbone/conv1.weight does not fit its shape' },
      }),
    );
  });

  it('keeps the newest N, removes stray temp files and says which epoch files it deleted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-ckpt-'));
    for (const epoch of [1, 2, 3, 4]) writeCheckpoint(epochCheckpointPath(dir, epoch), contents(epoch));
    writeFileSync(`${epochCheckpointPath(dir, 5)}.tmp-123`, 'partial');
    expect(pruneCheckpoints(dir, 2)).toEqual([epochCheckpointPath(dir, 2), epochCheckpointPath(dir, 1)]);
    expect(listCheckpoints(dir).map((c) => c.epoch)).toEqual([4, 3]);
  });
});

/** Where the payload of a checkpoint file starts: after the magic, the header length and the header. */
function payloadStart(file: Buffer): number {
  return 12 + file.readUInt32LE(8);
}
