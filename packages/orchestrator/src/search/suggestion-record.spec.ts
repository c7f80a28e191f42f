import { describe, expect, it } from 'vitest';
import { parseSuggestionLabel, suggestionFingerprint, suggestionTag } from './suggestion-record.js';

describe('suggestion records in run labels', () => {
  it('reads back what the label says', () => {
    const tpe = { algorithm: 'tpe' as const, index: 12, conditionedOn: 11 };
    const startup = { algorithm: 'tpe-startup' as const, index: 3, conditionedOn: 0 };
    expect(suggestionTag(tpe)).toBe('tpe #12 (11 results)');
    expect(parseSuggestionLabel(`paco ${suggestionTag(tpe)} alpha=0.3`)).toEqual(tpe);
    expect(parseSuggestionLabel(`${suggestionTag(startup)} alpha=0.3 temperature=0.07`)).toEqual(startup);
    expect(parseSuggestionLabel(suggestionTag({ algorithm: 'tpe', index: 1, conditionedOn: 1 }))).toEqual({
      algorithm: 'tpe',
      index: 1,
      conditionedOn: 1,
    });
  });

  it('finds none in other labels', () => {
    expect(parseSuggestionLabel('loss=paco lr=0.1 seed=1')).toBeNull();
    expect(parseSuggestionLabel('tpe #4')).toBeNull(); // a tpe suggestion always says its results
    expect(parseSuggestionLabel('stpe-startup #1')).toBeNull();
  });

  it('gives each suggestion its own fingerprint', () => {
    expect(suggestionFingerprint(0)).not.toBe(suggestionFingerprint(1));
  });
});
