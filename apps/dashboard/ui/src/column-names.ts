import type {
  ColumnRef,
  EvaluationAccuracy,
  NumericRunField,
  ParsedColumn,
  RunStatus,
  TableColumns,
} from '@ltlab/store/wire';

/**
 * The store's column grammar and statuses as the UI needs them at run time. The grammar is
 * `@ltlab/store/wire`, imported as types only (the bundle loads nothing of the store); each list
 * here is a `Record` keyed by the store's type, so a status, accuracy or numeric run field the
 * store adds or drops fails the UI's typecheck until it is listed here too. No React: tests
 * import this file in Node.
 */

const STATUS_ORDER: Record<RunStatus, true> = {
  queued: true,
  running: true,
  succeeded: true,
  failed: true,
  stopped: true,
  cancelled: true,
};
/** Every run status, in the order the pages list them. */
export const STATUSES = Object.keys(STATUS_ORDER) as RunStatus[];

const ACCURACIES: Record<EvaluationAccuracy, true> = { top1: true, top5: true, many: true, medium: true, few: true };
/** The accuracies of an evaluation (`eval:<split>:<field>` columns), in the order the table shows them. */
export const EVALUATION_ACCURACIES = Object.keys(ACCURACIES) as EvaluationAccuracy[];

const KINDS: Record<ParsedColumn['kind'], true> = { run: true, hp: true, metric: true, eval: true };
/** The kinds of column reference (`run:`, `hp:`, `metric:`, `eval:`). */
export const COLUMN_KINDS = Object.keys(KINDS) as Array<ParsedColumn['kind']>;

const NUMERIC_RUN: Record<NumericRunField, true> = { ordinal: true, objective: true, attempt: true, lastEpoch: true };

/** Whether a column sorts, filters and summarises as a number. */
export function isNumericColumn(ref: ColumnRef, columns: TableColumns): boolean {
  if (ref.startsWith('hp:')) return columns.hyperparameters.find((p) => `hp:${p.key}` === ref)?.numeric ?? false;
  if (ref.startsWith('run:')) return Object.hasOwn(NUMERIC_RUN, ref.slice(4));
  return true;
}

/** A column reference as a header: `hp:` dropped, `eval:val:few` as `val few`. */
export function columnLabel(ref: ColumnRef): string {
  if (ref.startsWith('hp:')) return ref.slice(3);
  if (ref.startsWith('eval:')) return ref.slice(5).replace(':', ' ');
  if (ref.startsWith('metric:')) return ref.slice(7).replace(':', ' ');
  return ref.slice(4);
}
