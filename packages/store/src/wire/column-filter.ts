import type { ColumnRef } from './column-grammar.js';

/** A value a filter compares with: text, a number or a boolean (hyperparameters hold all three). */
export type FilterScalar = string | number | boolean;

/**
 * The one filter model of the runs table: the dashboard's `filters` and `ltlab runs list --where`
 * both become these, and the store compiles them to SQL (column-grammar.ts names the column).
 * Every condition given must hold; a filter gives at least one.
 */
export interface ColumnFilter {
  column: ColumnRef;
  equals?: FilterScalar;
  in?: FilterScalar[];
  /** Inclusive bounds, numeric columns only. */
  min?: number;
  max?: number;
  /** Case-insensitive substring, text columns only. */
  contains?: string;
}
