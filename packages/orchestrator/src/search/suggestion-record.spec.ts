import { describe, expect, it } from 'vitest';
import { storedSuggestion, suggestionFingerprint, suggestionTag } from './suggestion-record.js';

describe('suggestion records', () => {
  it('tags a label with the suggestion, for people', () => {
    expect(suggestionTag({ algorithm: 'tpe', index: 12, conditionedOn: 11 })).toBe('tpe #12 (11 results)');
    expect(suggestionTag({ algorithm: 'tpe', index: 1, conditionedOn: 1 })).toBe('tpe #1 (1 result)');
    expect(suggestionTag({ algorithm: 'tpe-startup', index: 3, conditionedOn: 0 })).toBe('tpe-startup #3');
  });

  it('gives each suggestion its own fingerprint', () => {
    expect(suggestionFingerprint(0)).not.toBe(suggestionFingerprint(1));
  });
});

describe('storedSuggestion', () => {
  const results = [
    { index: 2, params: { lr: 0.1 }, value: 0.4 },
    { index: 0, params: { lr: 0.3 }, value: 0.7 },
  ];

  it('summarises the results a model-based suggestion saw, best by the sweep mode', () => {
    const record = { algorithm: 'tpe' as const, index: 3, conditionedOn: 2 };
    expect(storedSuggestion(record, results, 'max', { lr: 0.2 })).toEqual({
      ...record,
      inputs: { results: [0, 2], best: 0.7 },
      params: { lr: 0.2 },
    });
    expect(storedSuggestion(record, results, 'min', { lr: 0.2 }).inputs.best).toBe(0.4);
  });

  it('lists no inputs for a start-up draw, which saw none', () => {
    const record = { algorithm: 'tpe-startup' as const, index: 1, conditionedOn: 0 };
    expect(storedSuggestion(record, results, 'max', { lr: 0.5 }).inputs).toEqual({ results: [], best: null });
  });
});
