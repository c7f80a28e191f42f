/**
 * How the runs table names a column (docs/architecture.md §3, step 7). A column is named by a
 * reference:
 * - `run:<field>`: a field of the run row (status, objective, lastEpoch, ...);
 * - `hp:<dotted key>`: a flattened config value (`hp:method.options.temperature`);
 * - `metric:<split>:<name>`: the last recorded point of a metric series (`metric:train:loss`);
 * - `eval:<split>:<field>`: a field of the latest evaluation on a split (`eval:val:few`).
 * The grammar is data and a pure reader, so the dashboard UI and the CLI can name the same
 * columns the SQL compiler reads.
 */
export type ColumnRef = string;

export const RUN_FIELDS = [
  'id',
  'label',
  'status',
  'ordinal',
  'objective',
  'attempt',
  'lastEpoch',
  'node',
  'errorCode',
  'queuedAt',
  'startedAt',
  'finishedAt',
] as const;
export type RunField = (typeof RUN_FIELDS)[number];

/** The run fields that hold numbers: they sort and filter as numbers, the others as text. */
export const NUMERIC_RUN_FIELDS = [
  'ordinal',
  'objective',
  'attempt',
  'lastEpoch',
] as const satisfies readonly RunField[];
export type NumericRunField = (typeof NUMERIC_RUN_FIELDS)[number];

export const EVALUATION_FIELDS = ['top1', 'top5', 'many', 'medium', 'few', 'epoch'] as const;
export type EvaluationField = (typeof EVALUATION_FIELDS)[number];

/** The evaluation fields that are accuracies (fractions from 0 to 1): all but `epoch`. */
export type EvaluationAccuracy = Exclude<EvaluationField, 'epoch'>;

export type ParsedColumn =
  | { kind: 'run'; field: RunField }
  | { kind: 'hp'; key: string }
  | { kind: 'metric'; split: string; name: string }
  | { kind: 'eval'; split: string; field: EvaluationField };

/** What a column reference may look like, for the fix of an error that names a bad one. */
export const COLUMN_GRAMMAR = `run:<${RUN_FIELDS.join('|')}>, hp:<dotted key>, metric:<split>:<name> or eval:<split>:<${EVALUATION_FIELDS.join('|')}>`;

/** The column a reference names, or null when it follows none of the four forms. */
export function readColumn(ref: ColumnRef): ParsedColumn | null {
  const colon = ref.indexOf(':');
  const kind = colon < 0 ? '' : ref.slice(0, colon);
  const rest = ref.slice(colon + 1);
  const second = rest.indexOf(':');
  if (kind === 'run' && isRunField(rest)) return { kind, field: rest };
  if (kind === 'hp' && rest.length > 0) return { kind, key: rest };
  if (kind === 'metric' && second > 0 && second < rest.length - 1) {
    return { kind, split: rest.slice(0, second), name: rest.slice(second + 1) };
  }
  const field = rest.slice(second + 1);
  if (kind === 'eval' && second > 0 && isEvaluationField(field)) return { kind, split: rest.slice(0, second), field };
  return null;
}

export function isRunField(text: string): text is RunField {
  return (RUN_FIELDS as readonly string[]).includes(text);
}

export function isEvaluationField(text: string): text is EvaluationField {
  return (EVALUATION_FIELDS as readonly string[]).includes(text);
}

/** Whether a column sorts and filters as a number (a hyperparameter depends on its values). */
export function isNumericRunField(field: RunField): boolean {
  return (NUMERIC_RUN_FIELDS as readonly string[]).includes(field);
}
