import { describe, expect, it } from 'vitest';
import { flagsToArgv } from './flags-to-argv.js';

describe('flagsToArgv', () => {
  it('arguments first, then the given flags in spec order; values as --name=value, repeated for arrays', () => {
    const flags = [
      { name: 'sweep', value: 'ID', description: '' },
      { name: 'where', value: 'KEY=V', multiple: true, description: '' },
      { name: 'json', description: '' },
      { name: 'limit', value: 'N', description: '' },
    ];
    const input = { args: ['list'], flags: { json: true, where: ['lr>=-1', 'a=b'], sweep: 's' }, usage: '' };
    expect(flagsToArgv(input, flags)).toEqual(['list', '--sweep=s', '--where=lr>=-1', '--where=a=b', '--json']);
  });
});
