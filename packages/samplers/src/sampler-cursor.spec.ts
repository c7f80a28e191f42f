import { describe, expect, it } from 'vitest';
import { LT_COUNTS, longTailLabels } from './__fixtures__/long-tail-labels.js';
import { createSampler } from './registry.js';
import { SamplerCursor } from './sampler-cursor.js';

const labels = longTailLabels(LT_COUNTS);

describe('SamplerCursor', () => {
  const sampler = createSampler({ name: 'class-balanced', seed: 11, numSamples: 100 }, { labels });

  it('walks epochs in batches that never span two epochs', () => {
    const cursor = new SamplerCursor(sampler);
    const batches = Array.from({ length: 5 }, () => cursor.next(32));
    expect(batches.map((b) => [b.epoch, b.start, b.indices.length])).toEqual([
      [0, 0, 32],
      [0, 32, 32],
      [0, 64, 32],
      [0, 96, 4],
      [1, 0, 32],
    ]);
    expect(Array.from(batches[4]?.indices ?? [])).toEqual(Array.from(sampler.indices(1).slice(0, 32)));
  });

  it('resumes mid-epoch with the same order', () => {
    const uninterrupted = new SamplerCursor(sampler);
    const expected = Array.from({ length: 6 }, () => Array.from(uninterrupted.next(30).indices));

    const first = new SamplerCursor(sampler);
    first.next(30);
    first.next(30);
    // Through JSON, as a checkpoint stores it.
    const saved = JSON.parse(JSON.stringify(first.exportState())) as unknown;
    expect(saved).toEqual({ sampler: 'class-balanced', seed: 11, epoch: 0, position: 60 });
    const rebuilt = createSampler({ name: 'class-balanced', seed: 11, numSamples: 100 }, { labels });
    const resumed = SamplerCursor.fromState(rebuilt, saved);
    const rest = Array.from({ length: 4 }, () => Array.from(resumed.next(30).indices));
    expect(rest).toEqual(expected.slice(2));
  });

  it('rejects a state that does not belong to the sampler or is malformed', () => {
    const other = createSampler({ name: 'class-balanced', seed: 12, numSamples: 100 }, { labels });
    const state = new SamplerCursor(sampler).exportState();
    expect(() => SamplerCursor.fromState(other, state)).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT.CORRUPT' }),
    );
    expect(() => SamplerCursor.fromState(sampler, { ...state, position: -1 })).toThrow(/position/);
    expect(() => SamplerCursor.fromState(sampler, { ...state, position: 101 })).toThrow(/exceeds/);
  });
});
