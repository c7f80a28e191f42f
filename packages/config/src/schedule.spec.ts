import { describe, expect, it } from 'vitest';
import { learningRateAt, scheduleSchema } from './schedule.js';

const at = (raw: unknown, base: number, e: number, total: number) =>
  learningRateAt(scheduleSchema.parse(raw), base, e, total);

describe('learningRateAt', () => {
  it('warm-up + cosine as PaCo LT (docs/methods.md §14)', () => {
    expect(at({ type: 'warmup-cosine' }, 0.02, 0, 400)).toBeCloseTo(0.002, 12);
    expect(at({ type: 'warmup-cosine' }, 0.02, 9, 400)).toBeCloseTo(0.02, 12);
    // e = W: cos(pi / (E - W + 1)), just below base.
    expect(at({ type: 'warmup-cosine' }, 0.02, 10, 400)).toBeCloseTo(0.02 * 0.5 * (1 + Math.cos(Math.PI / 391)), 12);
    const last = at({ type: 'warmup-cosine' }, 0.02, 399, 400);
    expect(last).toBeGreaterThan(0);
    expect(last).toBeCloseTo(0.02 * 0.5 * (1 + Math.cos((Math.PI * 390) / 391)), 12);
  });

  it('the Fashion-MNIST recipe: 2 warm-up epochs then cosine over 30', () => {
    const lrs = Array.from({ length: 30 }, (_, e) => at({ type: 'warmup-cosine', warmupEpochs: 2 }, 0.1, e, 30));
    expect(lrs[0]).toBeCloseTo(0.05, 12);
    expect(lrs[1]).toBeCloseTo(0.1, 12);
    for (let e = 2; e < 29; e++) expect(lrs[e + 1] as number).toBeLessThan(lrs[e] as number);
  });

  it('PaCo CIFAR: epoch 10 runs at 1.1 x base, steps after 320 and 360', () => {
    const s = { type: 'paco-cifar' };
    expect(at(s, 0.05, 0, 400)).toBeCloseTo(0.005, 12);
    expect(at(s, 0.05, 10, 400)).toBeCloseTo(0.055, 12);
    expect(at(s, 0.05, 11, 400)).toBeCloseTo(0.05, 12);
    expect(at(s, 0.05, 320, 400)).toBeCloseTo(0.05, 12);
    expect(at(s, 0.05, 321, 400)).toBeCloseTo(0.005, 12);
    expect(at(s, 0.05, 361, 400)).toBeCloseTo(0.0005, 12);
  });

  it('ResLT CIFAR: warm-up from a third, then x0.1 at 160 and 180', () => {
    const s = { type: 'warmup-step' };
    expect(at(s, 0.1, 0, 200)).toBeCloseTo(0.1 * ((1 / 3) * 0.8 + 0.2), 12);
    expect(at(s, 0.1, 4, 200)).toBeCloseTo(0.1, 12);
    expect(at(s, 0.1, 159, 200)).toBeCloseTo(0.1, 12);
    expect(at(s, 0.1, 160, 200)).toBeCloseTo(0.01, 12);
    expect(at(s, 0.1, 180, 200)).toBeCloseTo(0.001, 12);
  });

  it('ResLT iNat cosine without warm-up', () => {
    expect(at({ type: 'cosine' }, 0.1, 0, 200)).toBeCloseTo(0.1, 12);
    expect(at({ type: 'cosine' }, 0.1, 100, 200)).toBeCloseTo(0.05, 12);
  });
});
