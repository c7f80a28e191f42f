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

  it('reads a started event with its provenance, and one without (older trainers) as having none', () => {
    const started = {
      ...base,
      type: 'started',
      epoch: 1,
      epochBase: 1,
      backend: 'cpu',
      device: null,
      totalEpochs: 2,
      stepsPerEpoch: 2,
      resumedFrom: null,
    };
    const parsed = trainerEventSchema.parse(started);
    expect(parsed.type === 'started' && parsed.provenance).toBeUndefined();
    const provenance = {
      packages: { '@ltlab/train': '0.1.0' },
      tfjs: '4.22.0',
      backend: 'cpu',
      device: 'Intel Xeon',
      node: 'v20.19.0',
      platform: 'linux-x64',
    };
    expect(trainerEventSchema.parse({ ...started, provenance })).toMatchObject({ provenance });
    expect(trainerEventSchema.safeParse({ ...started, provenance: { ...provenance, tfjs: 4 } }).success).toBe(false);
  });

  it('parses an eval event with a segmentation block, and one without (classification, older trainers)', () => {
    const evalEvent = {
      ...base,
      type: 'eval',
      epoch: 2,
      epochBase: 1,
      split: 'test',
      metrics: { top1: 0.5, top5: null, many: null, medium: null, few: null },
      perClassAccuracy: [],
      trainCounts: [],
      confusion: null,
    };
    expect(trainerEventSchema.parse(evalEvent)).not.toHaveProperty('segmentation');
    const segmentation = {
      numClasses: 2,
      ignoreIndex: 255,
      countedPixels: 4,
      ignoredPixels: 0,
      mIoU: 0.5,
      pixelAccuracy: 0.5,
      meanClassAccuracy: 0.5,
      perClassIoU: [1 / 3, 2 / 3],
      perClassAccuracy: [0.5, 0.5],
      labelPixels: [2, 2],
      imageCounts: [3, 1],
      frequencyGroups: {
        grouping: { by: 'rank-terciles' },
        head: 1 / 3,
        body: 2 / 3,
        tail: null,
        classesEvaluated: { head: 1, body: 1, tail: 0 },
        classGroups: ['head', 'body'],
      },
    };
    expect(trainerEventSchema.parse({ ...evalEvent, segmentation })).toMatchObject({ segmentation });
    // The block is checked as the metrics package defines it: a per-class list of the wrong length fails.
    const bad = { ...segmentation, perClassIoU: [0.5] };
    expect(trainerEventSchema.safeParse({ ...evalEvent, segmentation: bad }).success).toBe(false);
  });
});
