import type { RunRecord } from './run-store.js';

/**
 * The runs CSV of `ltlab runs export` and of the dashboard's `export.csv`: one builder, so both
 * files are the same for the same runs. A row is the run's summary (its last test evaluation)
 * followed by every hyperparameter under its plain dotted key (`method.options.s`).
 */
export const RUN_EXPORT_FIELDS = [
  'id',
  'label',
  'status',
  'attempt',
  'epoch',
  'top1',
  'top5',
  'many',
  'medium',
  'few',
  'objective',
  'error',
] as const;

/** The evaluation fields a row takes from the run's last `test` evaluation. */
export const RUN_EXPORT_EVALUATION_FIELDS = ['top1', 'top5', 'many', 'medium', 'few'] as const;

export type RunExportEvaluation = Partial<
  Record<(typeof RUN_EXPORT_EVALUATION_FIELDS)[number], number | null | undefined>
>;

/**
 * One export row: summary fields in `RUN_EXPORT_FIELDS` order, then the hyperparameters in the
 * order given (the store lists them by key). A hyperparameter named like a summary field
 * replaces it, as an object spread would.
 */
export function runExportRow(
  run: Pick<
    RunRecord,
    'id' | 'label' | 'status' | 'attempt' | 'lastEpoch' | 'objective' | 'errorCode' | 'errorMessage'
  >,
  lastTest: RunExportEvaluation | undefined,
  hyperparameters: Iterable<readonly [string, unknown]>,
): Record<string, unknown> {
  return {
    id: run.id,
    label: run.label,
    status: run.status,
    attempt: run.attempt,
    epoch: run.lastEpoch,
    top1: lastTest?.top1 ?? null,
    top5: lastTest?.top5 ?? null,
    many: lastTest?.many ?? null,
    medium: lastTest?.medium ?? null,
    few: lastTest?.few ?? null,
    objective: run.objective,
    error: run.errorCode === null ? null : `${run.errorCode}: ${run.errorMessage ?? ''}`,
    ...Object.fromEntries(hyperparameters),
  };
}

/**
 * The header of a runs CSV: the summary fields, then every other key of the rows in order of
 * first appearance (a key only LDAM runs have comes after those every run has). Add rows one
 * by one, so a stream can fix its header in a first pass without keeping the rows.
 */
export class RunsCsvColumns {
  readonly #keys: string[] = [...RUN_EXPORT_FIELDS];
  readonly #seen = new Set<string>(RUN_EXPORT_FIELDS);

  add(row: Readonly<Record<string, unknown>>): void {
    for (const key of Object.keys(row)) {
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      this.#keys.push(key);
    }
  }

  get keys(): readonly string[] {
    return this.#keys;
  }
}

/**
 * Whether a spreadsheet would evaluate a cell (CSV injection): it starts with `=`, `+`, `@`, a
 * tab or a carriage return, or with `-` and is not a number (`-0.5` stays a number).
 */
export function isFormulaLike(text: string): boolean {
  return /^[=+@\t\r]/.test(text) || (text.startsWith('-') && Number.isNaN(Number(text)));
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break (quotes doubled); objects and
 * arrays as JSON; null and undefined empty; a formula-like text (`isFormulaLike`) prefixed with
 * a quote, which spreadsheets show and do not evaluate.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const safe = isFormulaLike(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line, `\n`-terminated as `ltlab runs export` has always written them. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

/** A whole runs CSV: header (`RunsCsvColumns`) and one line per row, missing keys empty. */
export function runsCsv(rows: ReadonlyArray<Readonly<Record<string, unknown>>>): string {
  const columns = new RunsCsvColumns();
  for (const row of rows) columns.add(row);
  return [csvLine(columns.keys), ...rows.map((row) => csvLine(columns.keys.map((key) => row[key])))].join('');
}
