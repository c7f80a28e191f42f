import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleFile } from './console-file.js';

describe('ConsoleFile', () => {
  it('appends lines across attempts into the run directory, creating it', () => {
    const root = mkdtempSync(join(tmpdir(), 'ltlab-console-'));
    const path = join(root, 'run-1', 'console.log');
    new ConsoleFile(path).append('[attempt 1] backend: wasm\n');
    new ConsoleFile(path).append('[attempt 2] resumed\n');
    expect(readFileSync(path, 'utf8')).toBe('[attempt 1] backend: wasm\n[attempt 2] resumed\n');
  });

  it('never throws when the disk refuses', () => {
    // A regular file where the run directory should be: mkdir and append both fail at once.
    const root = mkdtempSync(join(tmpdir(), 'ltlab-console-'));
    writeFileSync(join(root, 'run-1'), 'not a directory');
    const file = new ConsoleFile(join(root, 'run-1', 'console.log'));
    expect(() => file.append('x\n')).not.toThrow();
  });
});
