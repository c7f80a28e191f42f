import { describe, expect, it } from 'vitest';
import { groupSql, pageSql, SqlBuilder, valuesSql } from './run-table-sql.js';

describe('the runs table SQL compiler', () => {
  it('numbers PostgreSQL parameters in text order, however they were collected', () => {
    const sql = new SqlBuilder('postgresql');
    const late = sql.param('late');
    const early = sql.param('early');
    expect(sql.finish(`a = ${early} AND b = ${late} AND c = ${early}`)).toEqual({
      text: 'a = $1 AND b = $2 AND c = $3',
      params: ['early', 'late', 'early'],
    });
    const sqlite = new SqlBuilder('sqlite');
    const one = sqlite.param(1);
    expect(sqlite.finish(`x = ${one}`)).toEqual({ text: 'x = ?', params: [1] });
  });

  it('compiles scope and filters to parameters, never into the text', () => {
    const { page, count } = pageSql('postgresql', {
      sweepId: "sw'; DROP TABLE",
      status: ['failed', 'cancelled'],
      filters: [
        { column: 'hp:method.loss', equals: 'paco' },
        { column: 'eval:test:few', min: 0.5 },
        { column: 'run:label', contains: 'LDAM' },
      ],
      sort: { column: 'hp:optimizer.lr', direction: 'desc' },
      limit: 10,
      offset: 20,
    });
    expect(page.text).not.toContain('DROP');
    // Filter joins and values in text order: the loss join, sweep, statuses, loss, split, bound, text.
    const filterParams = ['method.loss', "sw'; DROP TABLE", 'failed', 'cancelled', 'paco', 'test', 0.5, '%ldam%'];
    // The sort's join comes first in the text, limit and offset last.
    expect(page.params).toEqual(['optimizer.lr', ...filterParams, 10, 20]);
    expect(page.text).toContain('ORDER BY (h0."valueNum" IS NULL AND h0."valueText" IS NULL), h0."valueNum" DESC');
    expect(page.text).toMatch(/LIMIT \$10 OFFSET \$11$/);
    // The count needs no sort join: the same filters, numbered from 1 again.
    expect(count.params).toEqual(filterParams);
    expect(count.text).toContain('"sweepId" = $2');
  });

  it('matches a boolean hyperparameter by its type, a number by its value', () => {
    const { count } = pageSql('sqlite', {
      filters: [
        { column: 'hp:amp', equals: true },
        { column: 'hp:seed', in: [1, 2] },
      ],
      limit: 1,
    });
    expect(count.text).toContain(`h0."valueType" = 'boolean' AND h0."valueNum" = ?`);
    expect(count.text).toContain('(h1."valueNum" = ? OR h1."valueNum" = ?)');
    expect(count.params).toEqual(['amp', 'seed', 1, 1, 2]);
  });

  it('refuses text on a numeric column and contains on a number', () => {
    expect(() => pageSql('sqlite', { filters: [{ column: 'eval:val:top1', equals: 'high' }], limit: 1 })).toThrow(
      "Column 'eval:val:top1' is numeric; got 'high'.",
    );
    expect(() => pageSql('sqlite', { filters: [{ column: 'run:objective', contains: '5' }], limit: 1 })).toThrow(
      /'contains' needs a text column/,
    );
    expect(() => pageSql('sqlite', { filters: [{ column: 'seed', equals: 1 }], limit: 1 })).toThrow(
      /Unknown column 'seed'/,
    );
  });

  it('selects the values of a page and the moments of groups', () => {
    const values = valuesSql(
      'sqlite',
      ['r1', 'r2'],
      [
        { kind: 'hp', key: 'seed' },
        { kind: 'run', field: 'status' },
      ],
    );
    expect(values.text).toContain('h0."valueType" AS "c0valueType"');
    expect(values.text).toContain('r."status" AS "c1"');
    expect(values.params).toEqual(['seed', 'r1', 'r2']);
    const groups = groupSql('postgresql', { sweepId: 'sw', groupBy: ['method.loss'], metrics: ['eval:val:top1'] });
    expect(groups.text).toContain('AVG(t."m0") AS "a0", AVG(t."m0" * t."m0") AS "s0"');
    expect(groups.text).toContain('GROUP BY t."g0valueType", t."g0valueNum", t."g0valueText"');
    expect(groups.params).toEqual(['val', 'method.loss', 'sw']);
  });
});
