import type { ParsedColumn } from './wire/column-grammar.js';
import type { CellValue } from './wire/run-table.js';

/**
 * Reading what the runs table's SQL (run-table-sql.ts) answers: the two databases return the
 * same column in different types, and a hyperparameter comes back as type, number and text.
 */

/** SQL answers counts as BigInt on PostgreSQL and numbers on SQLite. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** A hyperparameter's cell from its `<prefix>valueType`, `valueNum` and `valueText` columns. */
export function hpCell(row: Record<string, unknown>, prefix = ''): CellValue {
  const type = row[`${prefix}valueType`];
  const num = toNumber(row[`${prefix}valueNum`]);
  const text = row[`${prefix}valueText`];
  switch (type) {
    case 'number':
      return num;
    case 'boolean':
      return num === 1;
    case 'null':
    case null:
    case undefined:
      return null;
    default:
      return typeof text === 'string' ? text : null;
  }
}

/** The cell of column `index` of a `valuesSql` row (`c<index>`, hyperparameters as three columns). */
export function columnCell(row: Record<string, unknown>, column: ParsedColumn, index: number): CellValue {
  if (column.kind === 'hp') return hpCell(row, `c${index}`);
  const value = row[`c${index}`];
  if (value === null || value === undefined) return null;
  if (column.kind === 'run') {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      // SQLite keeps DateTime as epoch milliseconds or ISO text depending on the writer.
      if (column.field.endsWith('At') && typeof value === 'number') return new Date(value).toISOString();
      return value;
    }
    return String(value);
  }
  return toNumber(value);
}
