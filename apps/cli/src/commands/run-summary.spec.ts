import type { RunDetail } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { evaluationRows, percentRows, provenanceLines, type RunSummary, resumeLines } from './run-summary.js';

const row: RunSummary = {
  id: 'sweep-0123456789ab',
  label: 'loss=paco',
  status: 'succeeded',
  attempt: 1,
  epoch: 8,
  top1: 0.7125,
  top5: null,
  many: 0.9,
  medium: 0.6,
  few: 0.5,
  objective: null,
  error: null,
};

describe('percentRows', () => {
  it('names a run by label, else id (sweep status)', () => {
    expect(percentRows([row])[0]).toEqual({
      run: 'loss=paco',
      status: 'succeeded',
      epoch: 8,
      'top-1 %': '71.25',
      'many %': '90.00',
      'medium %': '60.00',
      'few %': '50.00',
    });
    expect(percentRows([{ ...row, label: '' }])[0]?.run).toBe('sweep-0123456789ab');
  });

  it('with ids, puts the id in a column of its own beside the label (runs list, runs compare)', () => {
    const [shown] = percentRows([row], { ids: true });
    expect(Object.keys(shown ?? {}).slice(0, 3)).toEqual(['id', 'label', 'status']);
    expect(shown).toMatchObject({ id: 'sweep-0123456789ab', label: 'loss=paco' });
  });
});

describe('resumeLines', () => {
  const rejected = [
    { file: 'r/checkpoints/epoch-00004.ckpt', code: 'CHECKPOINT.CORRUPT', reason: 'payload checksum mismatch' },
    {
      file: 'r/checkpoints/epoch-00003.ckpt',
      code: 'CONFIG.INVALID',
      reason: "holds epoch 9, past this run's 4 epochs",
    },
  ];

  it('names the checkpoint resumed from, then each one rejected with its reason', () => {
    expect(resumeLines({ resumedFrom: 'r/checkpoints/epoch-00002.ckpt', rejectedCheckpoints: rejected })).toEqual([
      'resumed from r/checkpoints/epoch-00002.ckpt',
      '  rejected r/checkpoints/epoch-00004.ckpt [CHECKPOINT.CORRUPT]: payload checksum mismatch',
      "  rejected r/checkpoints/epoch-00003.ckpt [CONFIG.INVALID]: holds epoch 9, past this run's 4 epochs",
    ]);
  });

  it('warns when every checkpoint was rejected, and says nothing for a plain start', () => {
    expect(resumeLines({ resumedFrom: null, rejectedCheckpoints: rejected })[0]).toBe(
      'WARNING: all 2 checkpoint(s) rejected: training started again from epoch 1',
    );
    expect(resumeLines({ resumedFrom: null, rejectedCheckpoints: [] })).toEqual([]);
  });
});

describe('evaluationRows', () => {
  it('shows mIoU, aAcc, mAcc and head / body / tail IoU for a segmentation evaluation, top-1 and shots otherwise', () => {
    const segmentation = {
      numClasses: 3,
      mIoU: 0.55,
      pixelAccuracy: 0.78,
      meanClassAccuracy: 0.58,
      perClassIoU: [0.9, 0.2, null],
      frequencyGroups: { head: 0.9, body: 0.2, tail: null, classGroups: ['head', 'body', 'tail'] },
      confusion: [
        [9, 1, 0],
        [4, 1, 0],
        [0, 0, 0],
      ],
    };
    const rows = evaluationRows([
      { runId: 'r', split: 'test', epoch: 4, top1: 0.78, segmentation },
      {
        runId: 'c',
        split: 'val',
        epoch: 8,
        top1: 0.7,
        many: 0.9,
        medium: 0.6,
        few: 0.4,
        perClass: { accuracy: [0.9] },
        confusion: [[1]],
      },
    ]);
    // tail null: no tail class had an IoU; the classic top1 (the pixel accuracy) is aAcc.
    expect(rows[0]).toEqual({
      split: 'test',
      epoch: 4,
      mIoU: 0.55,
      aAcc: 0.78,
      mAcc: 0.58,
      headIoU: 0.9,
      bodyIoU: 0.2,
      tailIoU: null,
    });
    expect(rows[1]).toEqual({ split: 'val', epoch: 8, top1: 0.7, many: 0.9, medium: 0.6, few: 0.4 });
  });
});

describe('provenanceLines', () => {
  const run = { gitCommit: 'abc123', gitDirty: true, suggestion: null } as unknown as RunDetail['run'];

  it('says the commit, versions, backend and device, and a TPE run’s suggestion', () => {
    const provenance = {
      packages: { '@ltlab/train': '0.1.0', '@tensorflow/tfjs-core': '4.22.0' },
      tfjs: '4.22.0',
      backend: 'wasm',
      device: 'Xeon',
      node: 'v20.19.0',
      platform: 'linux-x64',
    };
    const suggestion = {
      algorithm: 'tpe' as const,
      index: 7,
      conditionedOn: 6,
      inputs: { results: [], best: 0.5 },
      params: {},
    };
    expect(provenanceLines({ run: { ...run, suggestion }, provenance })).toEqual([
      'commit abc123 (dirty)',
      'provenance: node v20.19.0 on linux-x64, TF.js 4.22.0, backend wasm (Xeon)',
      '  packages @ltlab/train@0.1.0 @tensorflow/tfjs-core@4.22.0',
      'suggestion tpe #7 on 6 result(s), best so far 0.5',
    ]);
  });

  it('says nothing of a run recorded before provenance', () => {
    expect(provenanceLines({ run: { ...run, gitCommit: null }, provenance: null })).toEqual([]);
  });
});
