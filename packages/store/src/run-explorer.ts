import { parseColumn } from './column-input.js';
import type { DatabaseProvider } from './database-url.js';
import type { StoreClient } from './prisma-client.js';
import { columnStats } from './run-statistics.js';
import type { RunRecord } from './run-store.js';
import { groupSql, pageSql, valuesSql } from './run-table-sql.js';
import { columnCell, hpCell, toNumber } from './sql-cells.js';
import type { ParsedColumn } from './wire/column-grammar.js';
import type {
  CellValue,
  RunGroup,
  RunGroupQuery,
  RunTablePage,
  RunTableQuery,
  TableColumns,
} from './wire/run-table.js';

type Row = Record<string, unknown>;

/** One page of the runs table: ids ordered and counted in SQL, then records and cells for the page. */
export async function queryRunTable(
  client: StoreClient,
  provider: DatabaseProvider,
  query: RunTableQuery,
  toRun: (row: Awaited<ReturnType<StoreClient['run']['findUniqueOrThrow']>>) => RunRecord,
): Promise<RunTablePage> {
  const columns = (query.columns ?? []).map((ref) => ({ ref, parsed: parseColumn(ref) }));
  const { page, count } = pageSql(provider, query);
  const [idRows, countRows] = await Promise.all([
    client.$queryRawUnsafe<Row[]>(page.text, ...page.params),
    client.$queryRawUnsafe<Row[]>(count.text, ...count.params),
  ]);
  const ids = idRows.map((row) => String(row.id));
  const total = toNumber(countRows[0]?.n) ?? 0;
  if (ids.length === 0) return { total, rows: [] };
  const [records, cells] = await Promise.all([
    client.run.findMany({ where: { id: { in: ids } } }),
    columnValues(
      client,
      provider,
      ids,
      columns.map((c) => c.parsed),
    ),
  ]);
  const byId = new Map(records.map((row) => [row.id, toRun(row)]));
  return {
    total,
    rows: ids.flatMap((id) => {
      const run = byId.get(id);
      if (run === undefined) return [];
      const values: Record<string, CellValue> = {};
      const cellRow = cells.get(id);
      columns.forEach((column, index) => {
        values[column.ref] = cellRow === undefined ? null : columnCell(cellRow, column.parsed, index);
      });
      return [{ run, values }];
    }),
  };
}

async function columnValues(
  client: StoreClient,
  provider: DatabaseProvider,
  ids: readonly string[],
  columns: readonly ParsedColumn[],
): Promise<Map<string, Row>> {
  if (columns.length === 0) return new Map();
  const sql = valuesSql(provider, ids, columns);
  const rows = await client.$queryRawUnsafe<Row[]>(sql.text, ...sql.params);
  return new Map(rows.map((row) => [String(row.id), row]));
}

export async function groupRuns(
  client: StoreClient,
  provider: DatabaseProvider,
  query: RunGroupQuery,
): Promise<RunGroup[]> {
  const sql = groupSql(provider, query);
  const rows = await client.$queryRawUnsafe<Row[]>(sql.text, ...sql.params);
  return rows.map((row) => {
    const key: Record<string, CellValue> = {};
    query.groupBy.forEach((groupKey, index) => {
      key[groupKey] = hpCell(row, `g${index}`);
    });
    const stats: RunGroup['stats'] = {};
    query.metrics.forEach((ref, index) => {
      const n = toNumber(row[`c${index}`]) ?? 0;
      const mean = toNumber(row[`a${index}`]);
      stats[ref] = columnStats(mean, toNumber(row[`s${index}`]), n);
    });
    return { key, n: toNumber(row.n) ?? 0, stats };
  });
}

export async function listColumns(client: StoreClient, sweepId?: string): Promise<TableColumns> {
  const runFilter = sweepId === undefined ? {} : { run: { sweepId } };
  const [params, series, splits] = await Promise.all([
    client.hyperparameter.groupBy({
      by: ['key', 'valueType', 'swept'],
      where: runFilter,
      orderBy: { key: 'asc' },
    }),
    client.metricPoint.groupBy({
      by: ['split', 'name'],
      where: runFilter,
      orderBy: [{ split: 'asc' }, { name: 'asc' }],
    }),
    client.evaluation.groupBy({ by: ['split'], where: runFilter, orderBy: { split: 'asc' } }),
  ]);
  const byKey = new Map<string, { key: string; swept: boolean; numeric: boolean }>();
  for (const param of params) {
    const known = byKey.get(param.key);
    const numeric = param.valueType === 'number';
    const swept = param.swept;
    if (known === undefined) byKey.set(param.key, { key: param.key, swept, numeric });
    else byKey.set(param.key, { key: param.key, swept: known.swept || swept, numeric: known.numeric && numeric });
  }
  return {
    hyperparameters: [...byKey.values()],
    metrics: series.map((s) => ({ split: s.split, name: s.name })),
    evaluationSplits: splits.map((s) => s.split),
  };
}

export async function changeStamp(client: StoreClient): Promise<string> {
  const [runs, workers, evaluations] = await Promise.all([
    client.run.aggregate({ _max: { updatedAt: true }, _count: { _all: true } }),
    client.worker.aggregate({ _max: { heartbeatAt: true }, _count: { _all: true } }),
    client.evaluation.aggregate({ _count: { _all: true } }),
  ]);
  return [
    runs._max.updatedAt?.getTime() ?? 0,
    runs._count._all,
    workers._max.heartbeatAt?.getTime() ?? 0,
    workers._count._all,
    evaluations._count._all,
  ].join('.');
}
