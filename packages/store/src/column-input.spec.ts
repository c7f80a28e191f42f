import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { columnFilterSchema, parseColumn } from './column-input.js';

describe('columns and filters from outside', () => {
  it('parses a column or names the forms it may take', () => {
    expect(parseColumn('eval:val:many')).toEqual({ kind: 'eval', split: 'val', field: 'many' });
    let error: unknown;
    try {
      parseColumn('eval:val:recall');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LtlabError);
    expect((error as LtlabError).code).toBe('CONFIG.INVALID');
    expect((error as LtlabError).message).toBe("Unknown column 'eval:val:recall'.");
    expect((error as LtlabError).fix).toContain('hp:<dotted key>, metric:<split>:<name>');
  });

  it('parses a filter into the wire model, absent keys absent', () => {
    const filter = columnFilterSchema.parse({ column: 'hp:seed', equals: 3, max: undefined });
    expect(filter).toEqual({ column: 'hp:seed', equals: 3 });
    expect(Object.keys(filter)).toEqual(['column', 'equals']);
  });

  it('refuses a filter with no condition, or with a key it does not know', () => {
    expect(columnFilterSchema.safeParse({ column: 'hp:seed' }).success).toBe(false);
    expect(columnFilterSchema.safeParse({ column: 'hp:seed', equal: 3 }).success).toBe(false);
    expect(columnFilterSchema.safeParse({ column: '', equals: 3 }).success).toBe(false);
  });
});
