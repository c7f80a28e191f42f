import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutputDirectory, checkOutputFile, writeOutputFile } from './output-paths.js';

/** The message of the coded error a check throws. */
function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG.INVALID' });
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('output paths', () => {
  let dir: string;
  let regular: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-output-paths-'));
    regular = join(dir, 'regular');
    writeFileSync(regular, 'old');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('checkOutputFile accepts a new or existing file and /dev/null, and writes it', () => {
    expect(checkOutputFile(join(dir, 'new.csv'), '--output')).toBe(join(dir, 'new.csv'));
    expect(checkOutputFile(regular, '--output')).toBe(regular);
    expect(checkOutputFile('/dev/null', '--output')).toBe('/dev/null');
    writeOutputFile(regular, 'new', '--output');
    expect(readFileSync(regular, 'utf8')).toBe('new');
  });

  it('checkOutputFile refuses a missing directory, a file as directory, a directory and /proc, naming the flag', () => {
    expect(refusal(() => checkOutputFile(join(dir, 'none', 'x.csv'), '--output'))).toBe(
      `--output '${join(dir, 'none', 'x.csv')}' is in ${join(dir, 'none')}, which does not exist.`,
    );
    expect(refusal(() => checkOutputFile(join(regular, 'x.csv'), '--output'))).toContain(
      `is under ${regular}, which is a file, not a directory`,
    );
    expect(refusal(() => checkOutputFile(dir, '--output'))).toBe(`--output '${dir}' is a directory.`);
    expect(refusal(() => checkOutputFile('/proc/sys/x', '--output'))).toContain('kernel filesystem');
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('writeOutputFile names the flag when the write itself fails', () => {
    expect(refusal(() => writeOutputFile(join(dir, 'none', 'x.csv'), 'x', '--output'))).toContain(
      `--output '${join(dir, 'none', 'x.csv')}': writing failed (ENOENT)`,
    );
  });

  it('checkOutputDirectory accepts an existing or creatable directory and refuses a file on the way', () => {
    mkdirSync(join(dir, 'runs'));
    expect(checkOutputDirectory(join(dir, 'runs'), '--out')).toBe(join(dir, 'runs'));
    expect(checkOutputDirectory(join(dir, 'a', 'b', 'c'), '--out')).toBe(join(dir, 'a', 'b', 'c'));
    expect(refusal(() => checkOutputDirectory(regular, '--out'))).toBe(
      `--out '${regular}' is a file, not a directory.`,
    );
    expect(refusal(() => checkOutputDirectory(join(regular, 'run'), '--out'))).toBe(
      `--out '${join(regular, 'run')}' cannot be created: ${regular} is a file, not a directory.`,
    );
    expect(refusal(() => checkOutputDirectory('/sys/run', '--out'))).toContain('kernel filesystem');
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });
});
