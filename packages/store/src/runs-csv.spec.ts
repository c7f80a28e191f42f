import { describe, expect, it } from 'vitest';
import {
  csvField,
  csvLine,
  isFormulaLike,
  RUN_EXPORT_FIELDS,
  RunsCsvColumns,
  runExportRow,
  runsCsv,
} from './runs-csv.js';

const run = (id: string, extra: Partial<Parameters<typeof runExportRow>[0]> = {}) => ({
  id,
  label: id,
  status: 'succeeded' as const,
  attempt: 1,
  lastEpoch: 8,
  objective: 0.5,
  errorCode: null,
  errorMessage: null,
  ...extra,
});

describe('runs CSV', () => {
  it('quotes separators, quotes and line breaks; leaves numbers and blanks plain', () => {
    expect(csvLine(['a,b', 'say "hi"', 0.5, null, -1, undefined, 'x\ry'])).toBe('"a,b","say ""hi""",0.5,,-1,,"x\ry"\n');
  });

  it('defuses spreadsheet formulas but not negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-cmd')).toBe("'-cmd");
    expect(csvField('-0.5')).toBe('-0.5');
    expect(csvField(-2)).toBe('-2');
  });

  it('defuses every formula start: = + - @ tab and carriage return', () => {
    expect(csvField('+1+cmd')).toBe("'+1+cmd");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1+1')).toBe("'\t=1+1");
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvField('a=1')).toBe('a=1');
    for (const text of ['=1', '+1', '-x', '@x', '\tx', '\rx']) expect(isFormulaLike(text)).toBe(true);
    for (const text of ['x', '1', '-1', '-0.5e3', ' =1', '']) expect(isFormulaLike(text)).toBe(false);
  });

  it('a run labelled with a formula is written guarded in a whole export', () => {
    const row = runExportRow(run('r1', { label: '=HYPERLINK("http://x","y")' }), undefined, [['note', '@cmd']]);
    expect(runsCsv([row]).split('\n')[1]).toBe(`r1,"'=HYPERLINK(""http://x"",""y"")",succeeded,1,8,,,,,,0.5,,'@cmd`);
  });

  it('writes arrays as JSON and booleans as words', () => {
    expect(csvLine([[6, 7], true, { a: 1 }])).toBe('"[6,7]",true,"{""a"":1}"\n');
  });

  it('a row: summary of the last test evaluation, then hyperparameters by plain key', () => {
    const row = runExportRow(
      run('r1', { status: 'failed', errorCode: 'TRAIN.NAN_LOSS', errorMessage: 'NaN at step 3' }),
      { top1: 0.6, many: 0.7, medium: null },
      [
        ['method.loss', 'ldam'],
        ['seed', 1],
      ],
    );
    expect(Object.keys(row)).toEqual([...RUN_EXPORT_FIELDS, 'method.loss', 'seed']);
    expect(row).toMatchObject({ top1: 0.6, top5: null, medium: null, error: 'TRAIN.NAN_LOSS: NaN at step 3' });
  });

  it('orders keys by first appearance: a key only a later run has comes last', () => {
    const rows = [
      runExportRow(run('ce'), undefined, [
        ['method.loss', 'ce'],
        ['seed', 0],
      ]),
      runExportRow(run('ldam'), undefined, [
        ['method.loss', 'ldam'],
        ['method.options.s', 1],
        ['seed', 0],
      ]),
    ];
    const columns = new RunsCsvColumns();
    for (const row of rows) columns.add(row);
    expect(columns.keys.slice(RUN_EXPORT_FIELDS.length)).toEqual(['method.loss', 'seed', 'method.options.s']);
    const lines = runsCsv(rows).split('\n');
    expect(lines[0]).toBe(`${RUN_EXPORT_FIELDS.join(',')},method.loss,seed,method.options.s`);
    expect(lines[1]).toBe('ce,ce,succeeded,1,8,,,,,,0.5,,ce,0,');
    expect(lines[2]).toBe('ldam,ldam,succeeded,1,8,,,,,,0.5,,ldam,0,1');
    expect(lines[3]).toBe('');
  });

  it('an export of no runs still has its header', () => {
    expect(runsCsv([])).toBe(`${RUN_EXPORT_FIELDS.join(',')}\n`);
  });
});
