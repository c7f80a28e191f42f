import { BACKEND_CHOICES } from '@ltlab/core';
import { RUN_STATUSES as STORE_RUN_STATUSES } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { isGroup, walkCommands } from '../command-spec.js';
import { BACKENDS, RUN_STATUSES } from './flags.js';
import { PROGRAM } from './index.js';

describe('the command tree', () => {
  it('repeats the backend and status lists of core and store exactly', () => {
    expect(BACKENDS).toEqual(BACKEND_CHOICES);
    expect(RUN_STATUSES).toEqual(STORE_RUN_STATUSES);
  });

  it('every command has a summary, and every visible one examples that start with its own command line', () => {
    for (const { path, spec } of walkCommands(PROGRAM.commands)) {
      expect(spec.summary, path.join(' ')).not.toBe('');
      if (isGroup(spec) || spec.hidden === true) continue;
      expect(spec.examples.length, path.join(' ')).toBeGreaterThan(0);
      for (const example of spec.examples) expect(example).toMatch(new RegExp(`ltlab ${path.join(' ')}( |$)`));
    }
  });

  it('flags are kebab-case and unique per command; only the last argument is variadic', () => {
    for (const { path, spec } of walkCommands(PROGRAM.commands)) {
      if (isGroup(spec)) continue;
      const names = (spec.flags ?? []).map((f) => f.name);
      expect(new Set(names).size, path.join(' ')).toBe(names.length);
      for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect((spec.args ?? []).slice(0, -1).some((a) => a.variadic === true)).toBe(false);
    }
  });

  it('commands that print results take --json; internal ones are hidden', () => {
    const daemons = ['worker', 'serve', 'up', 'train-child', 'doctor-child'];
    for (const { path, spec } of walkCommands(PROGRAM.commands)) {
      if (isGroup(spec) || daemons.includes(path.join(' ')) || path.join(' ') === 'runs export') continue;
      expect(
        (spec.flags ?? []).map((f) => f.name),
        path.join(' '),
      ).toContain('json');
    }
    const hidden = walkCommands(PROGRAM.commands).filter(({ spec }) => spec.hidden === true);
    expect(hidden.map(({ path }) => path.join(' '))).toEqual(['train-child', 'doctor-child']);
  });
});
