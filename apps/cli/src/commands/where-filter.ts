import { LtlabError } from '@ltlab/core';
import { type ColumnFilter, EVALUATION_FIELDS } from '@ltlab/store';

/** The metrics a `--where SPLIT/METRIC...` term filters on: accuracies of the latest evaluation. */
export const WHERE_METRICS = EVALUATION_FIELDS.filter((field) => field !== 'epoch');

const SYNTAX = 'KEY=VALUE, KEY>=N, KEY<=N (KEY a dotted config path) or SPLIT/METRIC>=N, SPLIT/METRIC<=N';
const EXAMPLE = 'Example: --where method.loss=paco --where optimizer.lr>=0.05 --where test/few>=0.5';

/**
 * One `--where` term as a runs-table filter. A key with a `/` is a metric of the run's latest
 * evaluation on that split (`test/few>=0.5`); config keys are dotted paths and never hold a `/`,
 * so the two cannot be confused.
 */
export function parseWhere(text: string): ColumnFilter {
  const match = /^([^=<>\s]+)\s*(>=|<=|=)\s*(.*)$/.exec(text.trim());
  if (match === null) throw invalid(text, `expected ${SYNTAX}.`, EXAMPLE);
  const [, key, op, raw] = match as unknown as [string, string, '>=' | '<=' | '=', string];
  if (raw === '') throw invalid(text, `no value after '${op}'.`, EXAMPLE);
  return key.includes('/') ? metricFilter(text, key, op, raw) : hyperparameterFilter(text, key, op, raw);
}

function hyperparameterFilter(text: string, key: string, op: string, raw: string): ColumnFilter {
  if (!/^[\w-]+(\.[\w-]+)*$/.test(key)) {
    throw invalid(text, `'${key}' is not a dotted config path.`, 'Example: --where optimizer.lr>=0.05');
  }
  const column = `hp:${key}`;
  const number = Number(raw);
  if (op === '=') {
    const equals = raw === 'true' || raw === 'false' ? raw === 'true' : Number.isFinite(number) ? number : raw;
    return { column, equals };
  }
  if (!Number.isFinite(number)) {
    throw invalid(text, `${op} needs a number, got '${raw}'.`, `Use ${key}=${raw} to match a value exactly.`);
  }
  return op === '>=' ? { column, min: number } : { column, max: number };
}

function metricFilter(text: string, key: string, op: string, raw: string): ColumnFilter {
  const [split, metric, ...extra] = key.split('/') as [string, string, ...string[]];
  const metrics = WHERE_METRICS.join(', ');
  if (extra.length > 0 || !/^[\w-]+$/.test(split) || metric === '') {
    throw invalid(text, `'${key}' is not SPLIT/METRIC.`, `Name a split and a metric: --where test/few>=0.5`);
  }
  if (!(WHERE_METRICS as readonly string[]).includes(metric)) {
    throw invalid(
      text,
      `'${metric}' is not a metric of an evaluation.`,
      `Use one of ${metrics}: --where ${split}/few>=0.5`,
    );
  }
  const number = Number(raw);
  if (!Number.isFinite(number)) throw invalid(text, `${key} needs a number, got '${raw}'.`, `Example: ${key}>=0.5`);
  // Accuracies are stored as fractions; `few>=50` would silently match nothing.
  if (number < 0 || number > 1) {
    throw invalid(
      text,
      `${key} is a fraction from 0 to 1, got ${raw}.`,
      `For ${raw}% write ${key}${op}${number / 100}.`,
    );
  }
  const column = `eval:${split}:${metric}`;
  return op === '=' ? { column, equals: number } : op === '>=' ? { column, min: number } : { column, max: number };
}

function invalid(text: string, problem: string, fix: string): LtlabError {
  return new LtlabError('CONFIG.INVALID', `--where '${text}': ${problem}`, { fix });
}
