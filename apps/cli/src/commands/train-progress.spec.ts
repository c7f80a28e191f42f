import type { TrainerEvent } from '@ltlab/config';
import { describe, expect, it } from 'vitest';
import { coloursFor } from '../colours.js';
import { formatShots, TrainProgress } from './train-progress.js';

const plain = coloursFor({ isTTY: false }, {});
const at = { runId: 'r', attempt: 1, epochBase: 1 as const, seq: 0 };
const metrics = { top1: 0.812, top5: 0.971, many: 0.9, medium: 0.8, few: null };

describe('TrainProgress', () => {
  it('a line per epoch with loss, lr, images/s, elapsed and ETA from the pace since the start', () => {
    const progress = new TrainProgress({ colours: plain, runDir: '/runs/r' });
    const started = progress.lines({
      ...at,
      type: 'started',
      epoch: 1,
      step: 0,
      time: 0,
      backend: 'native',
      device: null,
      totalEpochs: 10,
      stepsPerEpoch: 40,
      resumedFrom: null,
    } as TrainerEvent);
    expect(started).toEqual(['r: 10 epochs of 40 steps on native']);
    const epoch = (n: number, time: number, stage = 'main') =>
      progress.lines({
        ...at,
        type: 'epoch',
        epoch: n,
        step: n * 40,
        time,
        stage,
        trainLoss: 0.81234,
        lr: 0.05,
        imagesPerSecond: 1234.4,
        seconds: 12.34,
      } as TrainerEvent);
    expect(epoch(2, 30_000)).toEqual(['epoch  2/10  loss 0.8123  lr 0.05  1234 img/s  12.3 s  elapsed 0:30  ETA 2:00']);
    expect(epoch(10, 150_000, 'crt')[0]).toMatch(/^epoch 10\/10 \[crt\] .* ETA 0:00$/);
  });

  it('a resumed run counts its pace from the epochs it ran; evaluations and the result are summarised', () => {
    const progress = new TrainProgress({ colours: plain, runDir: '/runs/r' });
    progress.lines({
      ...at,
      type: 'started',
      epoch: 6,
      step: 200,
      time: 1_000,
      backend: 'wasm',
      device: 'x',
      totalEpochs: 8,
      stepsPerEpoch: 40,
      resumedFrom: 'r/checkpoints/epoch-00005.ckpt',
    } as TrainerEvent);
    const [line] = progress.lines({
      ...at,
      type: 'epoch',
      epoch: 6,
      step: 240,
      time: 11_000,
      stage: 'main',
      trainLoss: 1,
      lr: 1e-5,
      imagesPerSecond: 10,
      seconds: 10,
    } as TrainerEvent);
    expect(line).toMatch(/lr 1\.00e-5 .* elapsed 0:10 {2}ETA 0:20$/);
    const evalLine = progress.lines({
      ...at,
      type: 'eval',
      epoch: 6,
      step: 240,
      time: 12_000,
      split: 'test',
      metrics,
      perClassAccuracy: [],
      trainCounts: [],
      confusion: null,
    } as TrainerEvent);
    expect(evalLine).toEqual([`  eval test @ epoch 6: ${formatShots(metrics)}`]);
    expect(
      progress.lines({ ...at, type: 'finished', epoch: 8, step: 320, time: 61_000, metrics } as TrainerEvent),
    ).toEqual(['done in 1:00: top-1 81.20%  top-5 97.10%  many 90.00%  medium 80.00%  few –  (/runs/r)']);
  });

  it('the live line of an epoch in progress', () => {
    const progress = new TrainProgress({ colours: plain, runDir: '' });
    expect(progress.batch({ epoch: 2, totalEpochs: 8, batch: 10, batches: 40, loss: 0.5 })).toEqual({
      label: 'epoch 2/8',
      fraction: 0.25,
      suffix: '10/40  loss 0.5000',
    });
  });
});
