import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepMerge, loadConfigFile } from './load-config-file.js';

describe('loadConfigFile', () => {
  it('merges an extends chain deeply, later files winning, lists replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-cfg-'));
    writeFileSync(join(dir, 'base.yaml'), 'epochs: 30\noptimizer:\n  lr: 0.1\n  momentum: 0.9\nmilestones: [1, 2]\n');
    writeFileSync(join(dir, 'mid.yaml'), 'extends: base.yaml\noptimizer:\n  lr: 0.05\n');
    writeFileSync(join(dir, 'top.yaml'), 'extends: mid.yaml\nmilestones: [3]\nname: top\n');
    expect(await loadConfigFile(join(dir, 'top.yaml'))).toEqual({
      epochs: 30,
      optimizer: { lr: 0.05, momentum: 0.9 },
      milestones: [3],
      name: 'top',
    });
  });

  it('reports cycles and missing bases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-cfg-'));
    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\n');
    await expect(loadConfigFile(join(dir, 'a.yaml'))).rejects.toThrow(/cycle/);
    writeFileSync(join(dir, 'c.yaml'), 'extends: nope.yaml\n');
    await expect(loadConfigFile(join(dir, 'c.yaml'))).rejects.toMatchObject({ code: 'DATA.MISSING' });
  });

  it('deepMerge leaves its inputs alone', () => {
    const base = { a: { b: 1 } };
    expect(deepMerge(base, { a: { c: 2 } })).toEqual({ a: { b: 1, c: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});
