import { describe, expect, it } from 'vitest';
import { columnCell, hpCell, toNumber } from './sql-cells.js';

describe('reading the runs table SQL answers', () => {
  it('reads numbers as either database returns them', () => {
    expect(toNumber(3n)).toBe(3);
    expect(toNumber(0.5)).toBe(0.5);
    expect(toNumber('0.25')).toBe(0.25);
    expect(toNumber(' ')).toBeNull();
    expect(toNumber('abc')).toBeNull();
    expect(toNumber(null)).toBeNull();
  });

  it('reads a hyperparameter by its stored type', () => {
    expect(hpCell({ valueType: 'number', valueNum: 0.1, valueText: '0.1' })).toBe(0.1);
    expect(hpCell({ g0valueType: 'boolean', g0valueNum: 1, g0valueText: 'true' }, 'g0')).toBe(true);
    expect(hpCell({ valueType: 'boolean', valueNum: 0n, valueText: 'false' })).toBe(false);
    expect(hpCell({ valueType: 'string', valueNum: null, valueText: 'paco' })).toBe('paco');
    expect(hpCell({ valueType: 'null', valueNum: null, valueText: null })).toBeNull();
    expect(hpCell({})).toBeNull();
  });

  it('reads run fields, dates as ISO text whatever SQLite stored', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(columnCell({ c0: at }, { kind: 'run', field: 'startedAt' }, 0)).toBe('2026-01-02T03:04:05.000Z');
    expect(columnCell({ c1: new Date(at) }, { kind: 'run', field: 'queuedAt' }, 1)).toBe('2026-01-02T03:04:05.000Z');
    expect(columnCell({ c0: 7n }, { kind: 'run', field: 'lastEpoch' }, 0)).toBe(7);
    expect(columnCell({ c0: 'failed' }, { kind: 'run', field: 'status' }, 0)).toBe('failed');
    expect(columnCell({ c0: '0.5' }, { kind: 'eval', split: 'val', field: 'few' }, 0)).toBe(0.5);
    expect(columnCell({}, { kind: 'metric', split: 'train', name: 'loss' }, 0)).toBeNull();
  });
});
