import { describe, expect, it } from 'vitest';
import { suggestionConvergence } from '../ui/src/pages/suggestion-convergence.js';

const suggestion = (algorithm: 'tpe' | 'tpe-startup', index: number) => ({
  algorithm,
  index,
  conditionedOn: algorithm === 'tpe' ? index : 0,
  inputs: { results: [], best: null },
  params: {},
});

describe('suggestionConvergence', () => {
  const points = [
    { label: 'c', objective: 0.5, suggestion: suggestion('tpe', 2) },
    { label: 'a', objective: 0.3, suggestion: suggestion('tpe-startup', 0) },
    { label: 'b', objective: 0.6, suggestion: suggestion('tpe-startup', 1) },
    { label: 'e', objective: null, suggestion: suggestion('tpe', 4) },
    { label: 'd', objective: 0.7, suggestion: suggestion('tpe', 3) },
  ];

  it('plots start-up draws apart from model-based suggestions, in index order, with the running best', () => {
    expect(suggestionConvergence(points, 'max')).toEqual({
      startup: [
        [0, 0.3, 'a'],
        [1, 0.6, 'b'],
      ],
      model: [
        [2, 0.5, 'c'],
        [3, 0.7, 'd'],
      ],
      best: [
        [0, 0.3],
        [1, 0.6],
        [2, 0.6],
        [3, 0.7],
      ],
    });
    expect(suggestionConvergence(points, 'min')?.best.map(([, value]) => value)).toEqual([0.3, 0.3, 0.3, 0.3]);
  });

  it('is null for a sweep none of whose runs a search suggested', () => {
    expect(suggestionConvergence([{ label: 'x', objective: 1, suggestion: null }], 'max')).toBeNull();
  });
});
