import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  epochCheckpointPath,
  latestValidCheckpoint,
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

  it('detects truncated or altered files and falls back to the previous checkpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-ckpt-'));
    writeCheckpoint(epochCheckpointPath(dir, 1), contents(1));
    writeCheckpoint(epochCheckpointPath(dir, 2), contents(2));
    const newest = epochCheckpointPath(dir, 3);
    writeCheckpoint(newest, contents(3));
    const bytes = readFileSync(newest);
    writeFileSync(newest, bytes.subarray(0, bytes.length - 5)); // a crash mid-write, without rename
    expect(() => readCheckpoint(newest)).toThrow(/CHECKPOINT|damaged/);
    const flipped = Buffer.from(readFileSync(epochCheckpointPath(dir, 2)));
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0xff;
    writeFileSync(epochCheckpointPath(dir, 2), flipped);
    const found = latestValidCheckpoint(dir);
    expect(found?.ref.epoch).toBe(1);
    expect(found?.skipped).toHaveLength(2);
  });

  it('keeps the newest N, removes stray temp files and says which epoch files it deleted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-ckpt-'));
    for (const epoch of [1, 2, 3, 4]) writeCheckpoint(epochCheckpointPath(dir, epoch), contents(epoch));
    writeFileSync(`${epochCheckpointPath(dir, 5)}.tmp-123`, 'partial');
    expect(pruneCheckpoints(dir, 2)).toEqual([epochCheckpointPath(dir, 2), epochCheckpointPath(dir, 1)]);
    expect(listCheckpoints(dir).map((c) => c.epoch)).toEqual([4, 3]);
    expect(latestValidCheckpoint(dir)?.ref.epoch).toBe(4);
  });
});
