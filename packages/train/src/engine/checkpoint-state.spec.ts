import { describe, expect, it } from 'vitest';
import { parseCheckpointState } from './checkpoint-state.js';

describe('parseCheckpointState', () => {
  it('reads the best of the 0-based trainers as top-1 on test, its epoch counted from 1', () => {
    const state = parseCheckpointState({ epoch: 3, step: 30, best: { top1: 0.6, epoch: 1 }, queuePointer: 0 }, 'x');
    expect(state.best).toEqual({ metric: 'top1', split: 'test', mode: 'max', value: 0.6, epoch: 2 });
  });

  it('keeps a best with its selection, and reports an unreadable state as CHECKPOINT.CORRUPT naming the field', () => {
    const best = { metric: 'few', split: 'val', mode: 'max', value: 0.3, epoch: 2 };
    expect(parseCheckpointState({ epoch: 2, step: 20, best }, 'x')).toEqual({
      epoch: 2,
      step: 20,
      best,
      queuePointer: 0,
    });
    expect(() => parseCheckpointState({ epoch: -1, step: 0 }, 'ck/epoch-00001.ckpt')).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT.CORRUPT', message: expect.stringMatching(/ck\/epoch-00001.*epoch/) }),
    );
  });
});
