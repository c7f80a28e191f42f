import type { CellValue, ColumnRef, RunExplorer, RunRecord, RunTableQuery } from '@ltlab/store';

/** Hyperparameter columns per query: each is a join, and SQLite allows 64 tables in one. */
const KEYS_PER_QUERY = 40;

export type WideScope = Omit<RunTableQuery, 'columns' | 'limit' | 'offset'>;

export interface WideRow {
  run: RunRecord;
  /** `columns` and `hp:<key>` for every key; a run without a key has null there. */
  values: Record<ColumnRef, CellValue>;
}

/**
 * Every run of a view, a page at a time in the view's order, with any number of hyperparameter
 * columns: the keys beyond the first 40 are read by further queries on the page's ids.
 */
export async function* widePages(
  store: Pick<RunExplorer, 'queryRunTable'>,
  scope: WideScope,
  keys: readonly string[],
  columns: readonly ColumnRef[] = [],
  pageSize = 1000,
): AsyncGenerator<WideRow[]> {
  const refs = keys.map((key) => `hp:${key}`);
  const first = refs.slice(0, KEYS_PER_QUERY);
  for (let offset = 0; ; offset += pageSize) {
    const page = await store.queryRunTable({ ...scope, columns: [...columns, ...first], limit: pageSize, offset });
    const ids = page.rows.map((row) => row.run.id);
    const values = new Map(page.rows.map((row) => [row.run.id, { ...row.values }]));
    for (let start = KEYS_PER_QUERY; start < refs.length && ids.length > 0; start += KEYS_PER_QUERY) {
      const more = await store.queryRunTable({
        ids,
        columns: refs.slice(start, start + KEYS_PER_QUERY),
        limit: ids.length,
      });
      for (const row of more.rows) Object.assign(values.get(row.run.id) ?? {}, row.values);
    }
    yield page.rows.map((row) => ({ run: row.run, values: values.get(row.run.id) ?? row.values }));
    if (offset + pageSize >= page.total || page.rows.length === 0) return;
  }
}
