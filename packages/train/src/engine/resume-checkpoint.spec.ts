import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { epochCheckpointPath, listCheckpoints, writeCheckpoint } from './checkpoint-file.js';
import {
  chooseResumeCheckpoint,
  latestValidCheckpoint,
  rejectedPath,
  resumeLogLines,
  setAside,
} from './resume-checkpoint.js';

const contents = (epoch: number) => ({
  tensors: { w: { shape: [2], dtype: 'float32' as const, values: new Float32Array([epoch, 1]) } },
  state: { epoch, step: epoch * 10 },
});

/** A directory with epoch checkpoints 1..`count`. */
function checkpoints(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-resume-'));
  for (let epoch = 1; epoch <= count; epoch++) writeCheckpoint(epochCheckpointPath(dir, epoch), contents(epoch));
  return dir;
}

function truncate(path: string): void {
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, bytes.length - 5));
}

describe('choosing the checkpoint to resume from', () => {
  it('passes over damaged newer files, newest first, each with its code and reason', () => {
    const dir = checkpoints(3);
    truncate(epochCheckpointPath(dir, 3));
    const flipped = readFileSync(epochCheckpointPath(dir, 2));
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0xff;
    writeFileSync(epochCheckpointPath(dir, 2), flipped);

    const choice = chooseResumeCheckpoint(dir, (_ref, read) => read.state);
    expect(choice.chosen).toMatchObject({ ref: { epoch: 1 }, value: { epoch: 1, step: 10 } });
    expect(choice.rejected).toEqual([
      {
        path: epochCheckpointPath(dir, 3),
        code: 'CHECKPOINT.CORRUPT',
        reason: expect.stringMatching(/^truncated: payload is \d+ of \d+ bytes$/),
      },
      { path: epochCheckpointPath(dir, 2), code: 'CHECKPOINT.CORRUPT', reason: 'payload checksum mismatch' },
    ]);
    expect(latestValidCheckpoint(dir)).toMatchObject({ ref: { epoch: 1 }, rejected: choice.rejected });
  });

  it('rejects an intact file that does not fit the run, with the loader’s message on one line', () => {
    const dir = checkpoints(2);
    const choice = chooseResumeCheckpoint(dir, (ref) => {
      if (ref.epoch === 2)
        throw new LtlabError(
          'CONFIG.INVALID',
          'Weights do not match resnet8:\n  - missing fc.bias\n  - fc.weight: [64, 5]',
        );
      return ref.epoch;
    });
    expect(choice.chosen?.value).toBe(1);
    expect(choice.rejected).toEqual([
      {
        path: epochCheckpointPath(dir, 2),
        code: 'CONFIG.INVALID',
        reason: 'Weights do not match resnet8: missing fc.bias; fc.weight: [64, 5]',
      },
    ]);
  });

  it('lists every checkpoint when none is usable, and nothing when there is none', () => {
    const dir = checkpoints(2);
    for (const epoch of [1, 2]) truncate(epochCheckpointPath(dir, epoch));
    const choice = chooseResumeCheckpoint(dir, () => 'loaded');
    expect(choice.chosen).toBeNull();
    expect(choice.rejected.map((r) => r.path)).toEqual([epochCheckpointPath(dir, 2), epochCheckpointPath(dir, 1)]);
    expect(latestValidCheckpoint(dir)).toBeNull();
    expect(chooseResumeCheckpoint(join(dir, 'absent'), () => 'loaded')).toEqual({ chosen: null, rejected: [] });
  });

  it('lets errors that are not the file’s fault stop the resume', () => {
    const dir = checkpoints(1);
    const outOfMemory = new LtlabError('TRAIN.OUT_OF_MEMORY', 'no memory');
    expect(() =>
      chooseResumeCheckpoint(dir, () => {
        throw outOfMemory;
      }),
    ).toThrow(outOfMemory);
    expect(() =>
      chooseResumeCheckpoint(dir, () => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });

  it('sets a rejected file aside, out of sight of later resumes and keepLast', () => {
    const dir = checkpoints(2);
    truncate(epochCheckpointPath(dir, 2));
    const [rejected] = chooseResumeCheckpoint(dir, () => null).rejected;
    if (rejected === undefined) throw new Error('nothing rejected');
    expect(setAside(rejected)).toBe(rejectedPath(epochCheckpointPath(dir, 2)));
    expect(existsSync(`${epochCheckpointPath(dir, 2)}.rejected`)).toBe(true);
    expect(listCheckpoints(dir).map((ref) => ref.epoch)).toEqual([1]);
    expect(setAside(rejected)).toBeNull(); // gone already: reported, not moved
  });
});

describe('resumeLogLines', () => {
  const rejected = [
    {
      path: '/a/r/checkpoints/epoch-00003.ckpt',
      code: 'CHECKPOINT.CORRUPT' as const,
      reason: 'payload checksum mismatch',
    },
    { path: '/a/r/checkpoints/epoch-00002.ckpt', code: 'CONFIG.INVALID' as const, reason: 'holds epoch 9, past 4' },
  ];

  it('logs each rejection, then the checkpoint resumed from', () => {
    const chosen = { ref: { path: '/a/r/checkpoints/epoch-00001.ckpt', epoch: 1 } };
    expect(resumeLogLines({ chosen, rejected }, ['/a/r/checkpoints/epoch-00003.ckpt.rejected', null])).toEqual([
      'checkpoint epoch-00003.ckpt rejected [CHECKPOINT.CORRUPT]: payload checksum mismatch; kept as epoch-00003.ckpt.rejected',
      'checkpoint epoch-00002.ckpt rejected [CONFIG.INVALID]: holds epoch 9, past 4',
      'resuming from epoch-00001.ckpt: epoch 2 is next',
    ]);
  });

  it('warns when every checkpoint was rejected, and says nothing when there was none', () => {
    expect(resumeLogLines({ chosen: null, rejected }, [null, null]).at(-1)).toBe(
      'WARNING: all 2 checkpoints were rejected (damaged or not of this run): training starts again from epoch 1',
    );
    expect(resumeLogLines({ chosen: null, rejected: rejected.slice(0, 1) }, [null]).at(-1)).toBe(
      'WARNING: the only checkpoint was rejected (damaged or not of this run): training starts again from epoch 1',
    );
    expect(resumeLogLines({ chosen: null, rejected: [] }, [])).toEqual([]);
  });
});
