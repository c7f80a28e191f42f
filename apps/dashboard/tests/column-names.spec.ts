import { EVALUATION_FIELDS, NUMERIC_RUN_FIELDS, RUN_FIELDS, RUN_STATUSES, readColumn } from '@ltlab/store/wire';
import { describe, expect, it } from 'vitest';
import { COLUMN_KINDS, columnLabel, EVALUATION_ACCURACIES, isNumericColumn, STATUSES } from '../ui/src/column-names.js';

const columns = {
  hyperparameters: [
    { key: 'optimizer.lr', swept: true, numeric: true },
    { key: 'method.loss', swept: true, numeric: false },
  ],
  metrics: [{ split: 'train', name: 'loss' }],
  evaluationSplits: ['val'],
};

/** The UI's run-time lists are typed by the store's wire types; these check they also agree in order. */
describe('the UI names columns and statuses as the store does', () => {
  it('lists the statuses and accuracies of the store, in its order', () => {
    expect(STATUSES).toEqual([...RUN_STATUSES]);
    expect(EVALUATION_ACCURACIES).toEqual(EVALUATION_FIELDS.filter((field) => field !== 'epoch'));
    // The kinds the UI accepts in a link are the kinds the store reads.
    const examples = ['run:status', 'hp:seed', 'metric:train:loss', 'eval:val:few'];
    expect(examples.map((ref) => readColumn(ref)?.kind)).toEqual(COLUMN_KINDS);
  });

  it('treats exactly the numeric run fields and numeric hyperparameters as numbers', () => {
    expect(RUN_FIELDS.filter((field) => isNumericColumn(`run:${field}`, columns))).toEqual([...NUMERIC_RUN_FIELDS]);
    expect(isNumericColumn('hp:optimizer.lr', columns)).toBe(true);
    expect(isNumericColumn('hp:method.loss', columns)).toBe(false);
    expect(isNumericColumn('hp:unknown', columns)).toBe(false);
    expect(isNumericColumn('eval:val:few', columns)).toBe(true);
  });

  it('labels a column without its kind', () => {
    expect(columnLabel('hp:method.options.s')).toBe('method.options.s');
    expect(columnLabel('eval:val:few')).toBe('val few');
    expect(columnLabel('metric:train:loss')).toBe('train loss');
    expect(columnLabel('run:lastEpoch')).toBe('lastEpoch');
  });
});
