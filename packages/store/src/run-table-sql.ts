import { LtlabError } from '@ltlab/core';
import { parseColumn } from './column-input.js';
import type { DatabaseProvider } from './database-url.js';
import type { ColumnFilter } from './wire/column-filter.js';
import { isNumericRunField, type ParsedColumn } from './wire/column-grammar.js';
import type { RunGroupQuery, RunTableQuery, RunTableScope } from './wire/run-table.js';

/**
 * The runs table's SQL compiler: a query of the dashboard or of `ltlab runs list` (scope,
 * filters, sort, columns, groups) as one parameterised statement for SQLite or PostgreSQL, so
 * 10,000s of runs filter, sort and group without being loaded. run-explorer.ts runs the SQL.
 */
/**
 * Writes parameterised SQL for SQLite (`?`) or PostgreSQL (`$n`); identifiers are quoted.
 * Parameters are collected out of text order (a join may be added while compiling ORDER BY), so
 * `param` leaves a marker and `finish` numbers the markers in the order they appear.
 */
export class SqlBuilder {
  readonly #values: unknown[] = [];
  constructor(readonly provider: DatabaseProvider) {}

  param(value: unknown): string {
    this.#values.push(value);
    return `⟦${this.#values.length - 1}⟧`;
  }

  finish(text: string): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    const out = text.replace(/⟦(\d+)⟧/g, (_, index: string) => {
      params.push(this.#values[Number(index)]);
      return this.provider === 'postgresql' ? `$${params.length}` : '?';
    });
    return { text: out, params };
  }
}

/** Column expressions and the joins they need, named by alias so a query can reuse them. */
export class ColumnCompiler {
  readonly joins: string[] = [];
  readonly #hpAliases = new Map<string, string>();

  constructor(readonly sql: SqlBuilder) {}

  hpAlias(key: string): string {
    let alias = this.#hpAliases.get(key);
    if (alias === undefined) {
      alias = `h${this.#hpAliases.size}`;
      this.#hpAliases.set(key, alias);
      this.joins.push(
        `LEFT JOIN "Hyperparameter" ${alias} ON ${alias}."runId" = r."id" AND ${alias}."key" = ${this.sql.param(key)}`,
      );
    }
    return alias;
  }

  /** A scalar SQL expression for the column; hyperparameters give their numeric value. */
  numeric(column: ParsedColumn): string {
    switch (column.kind) {
      case 'run':
        return `r."${column.field}"`;
      case 'hp':
        return `${this.hpAlias(column.key)}."valueNum"`;
      case 'metric':
        return `(SELECT m."value" FROM "MetricPoint" m WHERE m."runId" = r."id" AND m."split" = ${this.sql.param(column.split)} AND m."name" = ${this.sql.param(column.name)} ORDER BY m."step" DESC LIMIT 1)`;
      case 'eval':
        return `(SELECT e."${column.field}" FROM "Evaluation" e WHERE e."runId" = r."id" AND e."split" = ${this.sql.param(column.split)} ORDER BY e."epoch" DESC LIMIT 1)`;
    }
  }

  /** ORDER BY terms with missing values last on both databases. */
  order(column: ParsedColumn, direction: 'asc' | 'desc'): string[] {
    const dir = direction === 'desc' ? 'DESC' : 'ASC';
    if (column.kind === 'hp') {
      const alias = this.hpAlias(column.key);
      return [
        `(${alias}."valueNum" IS NULL AND ${alias}."valueText" IS NULL)`,
        `${alias}."valueNum" ${dir}`,
        `${alias}."valueText" ${dir}`,
      ];
    }
    const expr = this.numeric(column);
    return [`(${expr} IS NULL)`, `${expr} ${dir}`];
  }

  where(scope: RunTableScope): string {
    const clauses: string[] = [];
    if (scope.sweepId !== undefined) clauses.push(`r."sweepId" = ${this.sql.param(scope.sweepId)}`);
    if (scope.status !== undefined && scope.status.length > 0) {
      clauses.push(`r."status" IN (${scope.status.map((s) => this.sql.param(s)).join(', ')})`);
    }
    if (scope.ids !== undefined) {
      clauses.push(
        scope.ids.length === 0 ? '1 = 0' : `r."id" IN (${scope.ids.map((id) => this.sql.param(id)).join(', ')})`,
      );
    }
    for (const filter of scope.filters ?? []) clauses.push(this.#filter(filter));
    return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
  }

  #filter(filter: ColumnFilter): string {
    const column = parseColumn(filter.column);
    const parts: string[] = [];
    const textual = column.kind === 'run' && !isNumericRunField(column.field);
    if (column.kind === 'hp') {
      const alias = this.hpAlias(column.key);
      const matchOne = (value: string | number | boolean): string =>
        typeof value === 'number'
          ? `${alias}."valueNum" = ${this.sql.param(value)}`
          : typeof value === 'boolean'
            ? `(${alias}."valueType" = 'boolean' AND ${alias}."valueNum" = ${this.sql.param(value ? 1 : 0)})`
            : `${alias}."valueText" = ${this.sql.param(value)}`;
      if (filter.equals !== undefined) parts.push(matchOne(filter.equals));
      if (filter.in !== undefined) parts.push(`(${filter.in.map(matchOne).join(' OR ')})`);
      if (filter.contains !== undefined) {
        parts.push(`LOWER(${alias}."valueText") LIKE ${this.sql.param(`%${filter.contains.toLowerCase()}%`)}`);
      }
      if (filter.min !== undefined) parts.push(`${alias}."valueNum" >= ${this.sql.param(filter.min)}`);
      if (filter.max !== undefined) parts.push(`${alias}."valueNum" <= ${this.sql.param(filter.max)}`);
      return parts.join(' AND ');
    }
    const expr = this.numeric(column);
    const typed = (value: string | number | boolean): unknown => {
      if (textual) return String(value);
      if (typeof value !== 'number') {
        throw new LtlabError('CONFIG.INVALID', `Column '${filter.column}' is numeric; got '${String(value)}'.`, {
          fix: 'Filter numeric columns with a number, or with min/max.',
        });
      }
      return value;
    };
    if (filter.equals !== undefined) parts.push(`${expr} = ${this.sql.param(typed(filter.equals))}`);
    if (filter.in !== undefined)
      parts.push(`${expr} IN (${filter.in.map((v) => this.sql.param(typed(v))).join(', ')})`);
    if (filter.contains !== undefined) {
      if (!textual) {
        throw new LtlabError(
          'CONFIG.INVALID',
          `Column '${filter.column}' is numeric; 'contains' needs a text column.`,
          {
            fix: 'Use min/max or equals on numeric columns.',
          },
        );
      }
      parts.push(`LOWER(${expr}) LIKE ${this.sql.param(`%${filter.contains.toLowerCase()}%`)}`);
    }
    if (filter.min !== undefined) parts.push(`${expr} >= ${this.sql.param(filter.min)}`);
    if (filter.max !== undefined) parts.push(`${expr} <= ${this.sql.param(filter.max)}`);
    return parts.join(' AND ');
  }
}

export interface BuiltSql {
  text: string;
  params: unknown[];
}

/** Runs ids of one page, in order, and the number of matching runs. */
export function pageSql(provider: DatabaseProvider, query: RunTableQuery): { page: BuiltSql; count: BuiltSql } {
  const pageSqlBuilder = new SqlBuilder(provider);
  const compiler = new ColumnCompiler(pageSqlBuilder);
  const order = query.sort === undefined ? [] : compiler.order(parseColumn(query.sort.column), query.sort.direction);
  const where = compiler.where(query);
  const limit = pageSqlBuilder.param(query.limit);
  const offset = pageSqlBuilder.param(query.offset ?? 0);
  const pageText = [
    'SELECT r."id" AS "id" FROM "Run" r',
    ...compiler.joins,
    where,
    `ORDER BY ${[...order, 'r."ordinal" ASC', 'r."id" ASC'].join(', ')}`,
    `LIMIT ${limit} OFFSET ${offset}`,
  ].join(' ');

  const countBuilder = new SqlBuilder(provider);
  const countCompiler = new ColumnCompiler(countBuilder);
  const countWhere = countCompiler.where(query);
  const countText = ['SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "Run" r', ...countCompiler.joins, countWhere].join(
    ' ',
  );
  return { page: pageSqlBuilder.finish(pageText), count: countBuilder.finish(countText) };
}

/** The values of `columns` for the given runs: one row per run, hyperparameters as type/num/text. */
export function valuesSql(
  provider: DatabaseProvider,
  ids: readonly string[],
  columns: readonly ParsedColumn[],
): BuiltSql {
  const sql = new SqlBuilder(provider);
  const compiler = new ColumnCompiler(sql);
  const select = ['r."id" AS "id"'];
  columns.forEach((column, index) => {
    if (column.kind === 'hp') {
      const alias = compiler.hpAlias(column.key);
      for (const field of ['valueType', 'valueNum', 'valueText'])
        select.push(`${alias}."${field}" AS "c${index}${field}"`);
    } else if (column.kind === 'run') {
      select.push(`r."${column.field}" AS "c${index}"`);
    } else {
      select.push(`${compiler.numeric(column)} AS "c${index}"`);
    }
  });
  const where = compiler.where({ ids });
  return sql.finish(`SELECT ${select.join(', ')} FROM "Run" r ${compiler.joins.join(' ')} ${where}`);
}

/** Mean, mean of squares and count per group, over the runs in scope. */
export function groupSql(provider: DatabaseProvider, query: RunGroupQuery): BuiltSql {
  const sql = new SqlBuilder(provider);
  const compiler = new ColumnCompiler(sql);
  const inner = ['r."id" AS "id"'];
  const groupCols: string[] = [];
  query.groupBy.forEach((key, index) => {
    const alias = compiler.hpAlias(key);
    for (const field of ['valueType', 'valueNum', 'valueText']) {
      inner.push(`${alias}."${field}" AS "g${index}${field}"`);
      groupCols.push(`t."g${index}${field}"`);
    }
  });
  query.metrics.forEach((ref, index) => {
    const column = parseColumn(ref);
    inner.push(
      `${column.kind === 'hp' ? `${compiler.hpAlias(column.key)}."valueNum"` : compiler.numeric(column)} AS "m${index}"`,
    );
  });
  const where = compiler.where(query);
  const outer = [
    ...groupCols.map((col) => `${col} AS "${col.slice(3, -1)}"`),
    'CAST(COUNT(*) AS INTEGER) AS "n"',
    ...query.metrics.flatMap((_, index) => [
      `AVG(t."m${index}") AS "a${index}"`,
      `AVG(t."m${index}" * t."m${index}") AS "s${index}"`,
      `CAST(COUNT(t."m${index}") AS INTEGER) AS "c${index}"`,
    ]),
  ];
  const text = [
    `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM "Run" r ${compiler.joins.join(' ')} ${where}) t`,
    groupCols.length === 0 ? '' : `GROUP BY ${groupCols.join(', ')}`,
    groupCols.length === 0 ? '' : `ORDER BY ${groupCols.join(', ')}`,
  ].join(' ');
  return sql.finish(text);
}
