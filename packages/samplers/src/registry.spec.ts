import { describe, expect, it } from 'vitest';
import { LT_COUNTS, longTailLabels } from './__fixtures__/long-tail-labels.js';
import { createSampler, SAMPLERS, samplerRegistry } from './registry.js';

const labels = longTailLabels(LT_COUNTS);
const extraOptions: Record<string, Record<string, unknown>> = { progressive: { totalEpochs: 10 } };

describe('every registered sampler', () => {
  it('registers the four samplers, each with a summary and its options schema', () => {
    expect([...SAMPLERS.keys()]).toEqual(['instance-balanced', 'class-balanced', 'square-root', 'progressive']);
    expect(samplerRegistry.names()).toEqual([...SAMPLERS.keys()]);
    for (const entry of samplerRegistry.list()) {
      expect(entry.summary.length, entry.name).toBeGreaterThan(10);
      expect(entry.schema.safeParse({ seed: 1, ...extraOptions[entry.name] }).success, entry.name).toBe(true);
    }
  });

  for (const name of SAMPLERS.keys()) {
    describe(name, () => {
      const make = (seed: number) => createSampler({ name, seed, ...extraOptions[name] }, { labels });

      it('gives the same order for the same (seed, epoch) and a new one otherwise', () => {
        const a = make(7);
        const b = make(7);
        expect(Array.from(a.indices(3))).toEqual(Array.from(b.indices(3)));
        expect(Array.from(a.indices(3))).not.toEqual(Array.from(a.indices(4)));
        expect(Array.from(a.indices(3))).not.toEqual(Array.from(make(8).indices(3)));
      });

      it('yields `length` valid indices', () => {
        const sampler = make(1);
        const order = sampler.indices(0);
        expect(order.length).toBe(sampler.length);
        expect(sampler.length).toBe(labels.length);
        for (const i of order) expect(i >= 0 && i < labels.length).toBe(true);
      });
    });
  }

  it('names the known samplers for an unknown name and lists bad options by path', () => {
    expect(() => createSampler({ name: 'balanced' }, { labels })).toThrow(
      expect.objectContaining({ code: 'CONFIG.UNKNOWN_NAME', fix: expect.stringContaining('class-balanced') }),
    );
    expect(() => createSampler({ name: 'square-rot' }, { labels })).toThrow(
      "Unknown sampler 'square-rot'; did you mean 'square-root'? Known samplers: instance-balanced, class-balanced, square-root, progressive.",
    );
    expect(() => createSampler({ name: 'progressive', seed: -1 }, { labels })).toThrow(/seed[\s\S]*totalEpochs/);
    expect(() => createSampler({ name: 'class-balanced', sed: 1 }, { labels })).toThrow(/sed/);
  });

  it('honours numSamples', () => {
    expect(createSampler({ name: 'class-balanced', numSamples: 70 }, { labels }).indices(0).length).toBe(70);
  });
});
