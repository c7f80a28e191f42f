import { describe, expect, it } from 'vitest';
import { trainerEventSchema } from './trainer-events.js';

const base = { runId: 'r', attempt: 1, seq: 0, step: 10, time: 0 };
const epochEvent = { type: 'epoch', stage: 'main', trainLoss: 1, lr: 0.1, imagesPerSecond: 1, seconds: 1 };

describe('trainerEventSchema', () => {
  it('keeps the 1-based epochs of a trainer that says so', () => {
    expect(trainerEventSchema.parse({ ...base, ...epochEvent, epoch: 8, epochBase: 1 })).toMatchObject({
      epoch: 8,
      epochBase: 1,
    });
  });

  it('renumbers an event of a 0-based trainer from 1, once', () => {
    const once = trainerEventSchema.parse({ ...base, ...epochEvent, epoch: 7 });
    expect(once).toMatchObject({ epoch: 8, epochBase: 1 });
    // Parsed again downstream (worker, then recorder): unchanged.
    expect(trainerEventSchema.parse(once)).toMatchObject({ epoch: 8 });
  });

  it('fills the checkpoint fields old trainers did not send', () => {
    const old = {
      ...base,
      type: 'checkpoint',
      epoch: 0,
      path: 'r/checkpoints/epoch-00001.ckpt',
      sizeBytes: 1,
      sha256: 'x',
      best: true,
    };
    expect(trainerEventSchema.parse(old)).toMatchObject({ epoch: 1, file: 'epoch', pruned: [], selection: null });
  });

  it('reads a started event without rejected checkpoints (older trainers) as rejecting none', () => {
    const started = {
      ...base,
      type: 'started',
      epoch: 3,
      epochBase: 1,
      backend: 'wasm',
      device: null,
      totalEpochs: 4,
      stepsPerEpoch: 2,
      resumedFrom: 'r/checkpoints/epoch-00002.ckpt',
    };
    expect(trainerEventSchema.parse(started)).toMatchObject({ rejectedCheckpoints: [] });
    const rejected = [{ file: 'r/checkpoints/epoch-00003.ckpt', code: 'CHECKPOINT.CORRUPT', reason: 'checksum' }];
    expect(trainerEventSchema.parse({ ...started, rejectedCheckpoints: rejected })).toMatchObject({
      rejectedCheckpoints: rejected,
    });
    expect(trainerEventSchema.safeParse({ ...started, rejectedCheckpoints: [{ file: 'x' }] }).success).toBe(false);
  });
});
