import { describe, expect, it } from 'vitest';
import { goldenNames, readGolden } from './golden.js';

describe('golden data', () => {
  it('lives in the repository and parses', () => {
    const names = goldenNames();
    expect(names).toContain('paco');
    expect(names).toContain('cifar_lt_counts');
    for (const name of names) expect(readGolden(name)).toBeTypeOf('object');
  });

  it('names the known files when one is missing', () => {
    expect(() => readGolden('no_such_file')).toThrow(/Known: .*paco/);
  });
});
