import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv.js';

describe('CSV export', () => {
  it('quotes separators and quotes, leaves numbers and blanks plain', () => {
    expect(csvLine(['a,b', 'say "hi"', 0.5, null, -1])).toBe('"a,b","say ""hi""",0.5,,-1\r\n');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-cmd')).toBe("'-cmd");
  });
});
