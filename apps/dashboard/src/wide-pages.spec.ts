import type { RunRecord, RunTablePage, RunTableQuery } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { widePages } from './wide-pages.js';

/** An in-memory `queryRunTable` over runs whose hyperparameters are `k<i>` = run index × 100 + i. */
function fakeExplorer(runCount: number) {
  const runs = Array.from({ length: runCount }, (_, i) => ({ id: `r${i}` }) as RunRecord);
  const queries: RunTableQuery[] = [];
  const queryRunTable = async (query: RunTableQuery): Promise<RunTablePage> => {
    queries.push(query);
    const scoped = query.ids === undefined ? runs : runs.filter((run) => query.ids?.includes(run.id));
    const page = scoped.slice(query.offset ?? 0, (query.offset ?? 0) + query.limit);
    return {
      total: scoped.length,
      rows: page.map((run) => ({
        run,
        values: Object.fromEntries(
          (query.columns ?? []).map((ref) => [ref, Number(run.id.slice(1)) * 100 + Number(ref.slice(4))]),
        ),
      })),
    };
  };
  return { queries, explorer: { queryRunTable } };
}

describe('widePages', () => {
  it('reads 90 hyperparameters 40 a query, page by page in the view order', async () => {
    const { explorer, queries } = fakeExplorer(5);
    const keys = Array.from({ length: 90 }, (_, i) => `k${i}`);
    const pages = [];
    for await (const page of widePages(explorer, { sweepId: 's' }, keys, ['eval:test:top1'], 2)) pages.push(page);
    expect(pages.map((page) => page.map((row) => row.run.id))).toEqual([['r0', 'r1'], ['r2', 'r3'], ['r4']]);
    const row = pages[1]?.[1];
    expect(row?.values['hp:k0']).toBe(300);
    expect(row?.values['hp:k89']).toBe(389);
    expect(Object.keys(row?.values ?? {})).toHaveLength(91);
    expect(Math.max(...queries.map((q) => (q.columns ?? []).filter((c) => c.startsWith('hp:')).length))).toBe(40);
    // Per page: the view's query, then two on the page's ids for keys 40-79 and 80-89.
    expect(queries.map((q) => (q.ids === undefined ? 'page' : q.ids.join('+')))).toEqual([
      'page',
      'r0+r1',
      'r0+r1',
      'page',
      'r2+r3',
      'r2+r3',
      'page',
      'r4',
      'r4',
    ]);
    expect(queries[0]).toMatchObject({ sweepId: 's', limit: 2, offset: 0 });
  });

  it('an empty view is one empty page', async () => {
    const { explorer } = fakeExplorer(0);
    const pages = [];
    for await (const page of widePages(explorer, {}, ['k0'])) pages.push(page);
    expect(pages).toEqual([[]]);
  });
});
