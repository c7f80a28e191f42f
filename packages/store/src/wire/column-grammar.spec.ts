import { describe, expect, it } from 'vitest';
import { COLUMN_GRAMMAR, isNumericRunField, NUMERIC_RUN_FIELDS, RUN_FIELDS, readColumn } from './column-grammar.js';

describe('the runs table column grammar', () => {
  it('reads each kind of column', () => {
    expect(readColumn('run:lastEpoch')).toEqual({ kind: 'run', field: 'lastEpoch' });
    expect(readColumn('hp:a.b.c')).toEqual({ kind: 'hp', key: 'a.b.c' });
    expect(readColumn('metric:train:loss/total')).toEqual({ kind: 'metric', split: 'train', name: 'loss/total' });
    expect(readColumn('metric:train:a:b')).toEqual({ kind: 'metric', split: 'train', name: 'a:b' });
    expect(readColumn('eval:val:many')).toEqual({ kind: 'eval', split: 'val', field: 'many' });
  });

  it('reads nothing that follows none of the forms', () => {
    for (const ref of [
      'temperature',
      'run:nope',
      'hp:',
      'metric:train',
      'metric:train:',
      'eval:val:recall',
      'eval::few',
    ]) {
      expect(readColumn(ref), ref).toBeNull();
    }
  });

  it('knows which run fields are numbers, and says every form in its hint', () => {
    expect(RUN_FIELDS.filter(isNumericRunField)).toEqual([...NUMERIC_RUN_FIELDS]);
    expect(isNumericRunField('status')).toBe(false);
    expect(COLUMN_GRAMMAR).toContain('run:<id|label|status|ordinal');
    expect(COLUMN_GRAMMAR).toContain('eval:<split>:<top1|top5|many|medium|few|epoch>');
  });
});
