import { describe, expect, it } from 'vitest';
import { describeOverrides } from './run-label.js';
import { sweepSpecSchema } from './sweep-spec.js';

const strongView = { views: [[{ name: 'randomResizedCrop', scale: [0.2, 1] }]] };
const mildView = { views: [[{ name: 'randomResizedCrop', scale: [0.6, 1] }]] };

describe('describeOverrides', () => {
  it('names each value by the last path segment, numbers to 4 digits, objects by their name', () => {
    expect(describeOverrides({ 'optimizer.lr': 0.012345678, method: { loss: 'paco', options: {} }, seed: 1 })).toBe(
      'lr=0.01235 method=paco seed=1',
    );
  });

  it("shows a labelled choice's label instead of its value", () => {
    const distributions = {
      'data.transforms.train': {
        distribution: 'choice' as const,
        values: [strongView, mildView],
        labels: ['strong', 'mild'],
      },
    };
    expect(describeOverrides({ 'data.transforms.train': mildView, 'optimizer.lr': 0.1 }, distributions)).toBe(
      'train=mild lr=0.1',
    );
    // A value outside the choice (set by hand) is shown as it is.
    expect(describeOverrides({ 'data.transforms.train': { views: [] } }, distributions)).toBe('train={"views":[]}');
  });
});

describe('choice labels in a sweep file', () => {
  const sweep = (labels: string[]) => ({
    name: 's',
    base: 'base.yaml',
    random: { count: 2, params: { view: { distribution: 'choice', values: [strongView, mildView], labels } } },
  });

  it('take one word per value', () => {
    expect(sweepSpecSchema.safeParse(sweep(['strong', 'mild'])).success).toBe(true);
    const short = sweepSpecSchema.safeParse(sweep(['strong']));
    expect(short.error?.issues[0]?.path).toEqual(['random', 'params', 'view', 'labels']);
    expect(short.error?.issues[0]?.message).toBe('has 1 label(s) for 2 value(s): give one label per value');
    expect(sweepSpecSchema.safeParse(sweep(['very strong', 'mild'])).success).toBe(false);
  });
});
