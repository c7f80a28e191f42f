import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from './database-url.js';
import { assertUsableSqliteFile } from './sqlite-file-check.js';

const at = (path: string, setting = 'DATABASE_URL'): DatabaseTarget => ({
  provider: 'sqlite',
  url: `file:${path}`,
  setting,
});

/** The message of the coded error the check throws for a path. */
function refusal(target: DatabaseTarget): string {
  try {
    assertUsableSqliteFile(target);
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG.INVALID' });
    return (error as Error).message;
  }
  throw new Error(`${target.url} was accepted`);
}

/** Root may write anything, so permission checks are only visible to another user. */
const isRoot = process.getuid?.() === 0;

describe('assertUsableSqliteFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-sqlite-check-'));
  });
  afterAll(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a new file in an existing or creatable directory, an empty file and a SQLite file', () => {
    assertUsableSqliteFile(at(join(dir, 'new.db')));
    assertUsableSqliteFile(at(join(dir, 'a', 'b', 'new.db')));
    writeFileSync(join(dir, 'empty.db'), '');
    assertUsableSqliteFile(at(join(dir, 'empty.db')));
    writeFileSync(join(dir, 'real.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(84)]));
    assertUsableSqliteFile(at(join(dir, 'real.db')));
    assertUsableSqliteFile({ provider: 'sqlite', url: 'file::memory:' });
    assertUsableSqliteFile({ provider: 'postgresql', url: 'postgresql://h/db' });
    expect(existsSync(join(dir, 'a')), 'a check creates nothing').toBe(false);
  });

  it('refuses kernel filesystems, also through a symbolic link, before touching them', () => {
    expect(refusal(at('/proc/self/status'))).toContain('/proc/self/status is under /proc, a kernel filesystem');
    expect(refusal(at('/proc/1/x.db'))).toContain('is under /proc');
    expect(refusal(at('/sys/x.db'))).toContain('is under /sys');
    expect(refusal(at('/dev/null'))).toContain('is under /dev');
    symlinkSync('/proc/self/status', join(dir, 'link.db'));
    expect(refusal(at(join(dir, 'link.db')))).toContain('is under /proc');
  });

  it('refuses a path under a regular file, a directory, a pipe, and a file that is not a database', () => {
    writeFileSync(join(dir, 'regular'), 'text');
    expect(refusal(at(join(dir, 'regular', 'sub', 'db.sqlite')))).toContain(
      `${join(dir, 'regular')} is a file, not a directory`,
    );
    expect(refusal(at(dir))).toContain(`${dir} is a directory, not a database file`);
    execFileSync('mkfifo', [join(dir, 'pipe.db')]);
    expect(refusal(at(join(dir, 'pipe.db')))).toContain('is not a regular file');
    writeFileSync(join(dir, 'random.db'), Buffer.from('not a database at all, just bytes'));
    expect(refusal(at(join(dir, 'random.db')))).toContain('is not a SQLite database');
  });

  it('names the setting the path came from', () => {
    expect(refusal(at('/proc/x.db', 'LTLAB_HOME'))).toMatch(/^LTLAB_HOME \(the SQLite file \/proc\/x\.db\): /);
    expect(refusal(at('/proc/x.db', '--database'))).toMatch(/^--database 'file:\/proc\/x\.db': /);
  });

  it.skipIf(isRoot)('refuses a read-only file and an unwritable directory (as a user other than root)', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'ro.db'), '');
    chmodSync(join(locked, 'ro.db'), 0o444);
    expect(refusal(at(join(locked, 'ro.db')))).toContain('is not writable by this user');
    chmodSync(join(locked, 'ro.db'), 0o644);
    chmodSync(locked, 0o555);
    expect(refusal(at(join(locked, 'new.db')))).toContain('is not writable by this user to create it');
    expect(refusal(at(join(locked, 'ro.db')))).toContain(`the directory ${locked} is not writable`);
    chmodSync(locked, 0o755);
  });
});
