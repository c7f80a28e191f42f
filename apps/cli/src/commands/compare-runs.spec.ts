import type { JsonObject, RunRecord } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { diffRows, runsConfigDiff } from './compare-runs.js';

const run = (id: string, label: string, config: JsonObject) => ({ id, label, config }) as RunRecord;

describe('runs compare config differences', () => {
  const runs = [
    run('s-1', 'paco', { method: { loss: 'paco' }, optimizer: { lr: 0.05 }, seed: 1 }),
    run('s-2', 'ce', { method: { loss: 'ce' }, optimizer: { lr: 0.00001 }, seed: 1, amp: null }),
  ];

  it("keeps the dashboard's rules: differing keys only, null apart from absent", () => {
    expect(runsConfigDiff(runs)).toEqual([
      { key: 'amp', values: [undefined, null] },
      { key: 'method.loss', values: ['paco', 'ce'] },
      { key: 'optimizer.lr', values: [0.05, 0.00001] },
    ]);
  });

  it('prints values as given under each run label, ids when labels repeat', () => {
    expect(diffRows(runsConfigDiff(runs), runs)).toEqual([
      { key: 'amp', paco: '(absent)', ce: 'null' },
      { key: 'method.loss', paco: 'paco', ce: 'ce' },
      { key: 'optimizer.lr', paco: '0.05', ce: '0.00001' },
    ]);
    const same = [run('a-1', 'x', { seed: 1 }), run('b-1', 'x', { seed: 2 })];
    expect(diffRows(runsConfigDiff(same), same)).toEqual([{ key: 'seed', 'a-1': '1', 'b-1': '2' }]);
  });
});
