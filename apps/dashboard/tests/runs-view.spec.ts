import { describe, expect, it } from 'vitest';
import {
  ALL_BUT_SEEDS,
  DEFAULT_VIEW,
  groupKeys,
  isSeedKey,
  type RunsView,
  readRunsView,
  runsViewParams,
} from '../ui/src/runs-view.js';

describe('runs view in the URL', () => {
  const view: RunsView = {
    sweep: 'sw-1',
    status: 'succeeded',
    filters: [
      { column: 'hp:method.loss', equals: 'paco' },
      { column: 'eval:val:few', min: 0.5 },
    ],
    sort: { column: 'eval:val:few', dir: 'desc' },
    group: ALL_BUT_SEEDS,
    columns: ['run:status', 'hp:method.loss', 'metric:train:loss'],
    offset: 50,
    curve: 'metric:train:loss',
  };

  it('round-trips every part through the URL parameters', () => {
    const params = runsViewParams(view);
    expect(params.get('sweep')).toBe('sw-1');
    expect(readRunsView(new URLSearchParams(params.toString()))).toEqual(view);
  });

  it('leaves defaults out, so a plain view is a plain link', () => {
    expect(runsViewParams({ ...DEFAULT_VIEW, sweep: 'sw-1' }).toString()).toBe('sweep=sw-1');
    expect(readRunsView(new URLSearchParams(''))).toEqual(DEFAULT_VIEW);
  });

  it('drops a bad part of a hand-edited link and keeps the rest', () => {
    const read = readRunsView(
      new URLSearchParams({
        status: 'exploded',
        filters: '[{"column":"hp:x","equals":1}',
        sort: 'bogus',
        dir: 'sideways',
        group: 'method.loss',
        columns: 'run:status,nonsense,hp:seed',
        offset: '-3',
        curve: 'metric:val:top1',
      }),
    );
    expect(read).toEqual({ ...DEFAULT_VIEW, columns: ['run:status', 'hp:seed'], curve: 'metric:val:top1' });
    expect(readRunsView(new URLSearchParams({ filters: '[{"column":"hp:x","equals":{"a":1}}]' })).filters).toEqual([]);
  });

  it('groups "everything except seeds" by the varying keys that are not seeds', () => {
    expect(isSeedKey('seed')).toBe(true);
    expect(isSeedKey('data.longTail.seed')).toBe(true);
    expect(isSeedKey('seedling')).toBe(false);
    expect(groupKeys('', ['a'])).toBeNull();
    expect(groupKeys('hp:method.loss', null)).toEqual(['method.loss']);
    expect(groupKeys(ALL_BUT_SEEDS, null)).toBeNull();
    expect(groupKeys(ALL_BUT_SEEDS, ['method.loss', 'seed', 'sampler.seed', 'optimizer.lr'])).toEqual([
      'method.loss',
      'optimizer.lr',
    ]);
  });
});
