import { describe, expect, it } from 'vitest';
import { colourEnabled, coloursFor } from './colours.js';

describe('colour', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it('colours a terminal only, unless NO_COLOR or TERM=dumb', () => {
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('FORCE_COLOR colours a pipe too (and wins over NO_COLOR, as in Node); FORCE_COLOR=0 turns it off', () => {
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(tty, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('plain text when off, ANSI codes when on', () => {
    expect(coloursFor(pipe, {}).red('x')).toBe('x');
    expect(coloursFor(tty, {}).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});
