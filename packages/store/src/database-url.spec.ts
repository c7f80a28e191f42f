import { describe, expect, it } from 'vitest';
import { describeDatabaseSetting, parseDatabaseUrl, resolveDatabase } from './database-url.js';

/** The coded error a call throws (fails the test when it does not throw). */
function thrown(action: () => unknown): { code: string; message: string; fix: string } {
  try {
    action();
  } catch (error) {
    return error as { code: string; message: string; fix: string };
  }
  throw new Error('expected an error');
}

describe('resolveDatabase', () => {
  it('defaults to a SQLite file in the data directory, named after LTLAB_HOME', () => {
    expect(resolveDatabase({ env: {}, dataDir: '/data/x' })).toEqual({
      provider: 'sqlite',
      url: 'file:/data/x/ltlab.db',
      setting: 'LTLAB_HOME',
    });
    expect(resolveDatabase({ env: { LTLAB_HOME: '/home/lt' } }).url).toBe('file:/home/lt/ltlab.db');
  });

  it('takes DATABASE_URL for PostgreSQL or SQLite', () => {
    expect(resolveDatabase({ env: { DATABASE_URL: 'postgresql://u:p@db:5432/lt' } })).toEqual({
      provider: 'postgresql',
      url: 'postgresql://u:p@db:5432/lt',
      setting: 'DATABASE_URL',
    });
    expect(parseDatabaseUrl('postgres://db/lt').provider).toBe('postgresql');
    expect(parseDatabaseUrl('file:/tmp/a.db')).toEqual({
      provider: 'sqlite',
      url: 'file:/tmp/a.db',
      setting: 'DATABASE_URL',
    });
    expect(parseDatabaseUrl('file:///tmp/a.db').url).toBe('file:/tmp/a.db');
    expect(parseDatabaseUrl('file::memory:').url).toBe('file::memory:');
  });

  it('refuses a DATABASE_URL that is set but empty instead of falling back to another database', () => {
    for (const value of ['', '   ']) {
      const error = thrown(() => resolveDatabase({ env: { DATABASE_URL: value } }));
      expect(error.code).toBe('CONFIG.INVALID');
      expect(error.message).toBe('DATABASE_URL is set but empty.');
      expect(error.fix).toContain('unset DATABASE_URL');
    }
  });
});

describe('parseDatabaseUrl', () => {
  it('names the unsupported scheme, without the password', () => {
    for (const [url, scheme] of [
      ['mysql://u:secret@h/db', 'mysql'],
      ['mongodb://u:secret@h/db', 'mongodb'],
      ['sqlserver://u:secret@h/db', 'sqlserver'],
    ] as const) {
      const error = thrown(() => parseDatabaseUrl(url));
      expect(error.code).toBe('CONFIG.INVALID');
      expect(error.message).toContain(`DATABASE_URL '${scheme}://u:***@h/db' uses ${scheme}://`);
      expect(`${error.message}${error.fix}`).not.toContain('secret');
    }
    expect(thrown(() => parseDatabaseUrl('/tmp/x.db')).message).toContain('is neither a postgresql:// nor a file: URL');
    expect(thrown(() => parseDatabaseUrl('sqlite:///tmp/x.db')).fix).toContain('file:/path/to/ltlab.db');
  });

  it('refuses malformed PostgreSQL URLs with the encoding fix and no password', () => {
    for (const [url, problem] of [
      ['postgresql://u:secret@h:notaport/db', 'is not a valid URL'],
      ['postgresql://u:se/cret@h:5432/db', 'is not a valid URL'],
      ['postgresql://u:p%zzsecret@h:5432/db', 'malformed %-escape in its password'],
      ['postgresql://u:secret@h:5432/db?connect_timeout=soon', 'connect_timeout=soon'],
    ] as const) {
      const error = thrown(() => parseDatabaseUrl(url));
      expect(error.code).toBe('CONFIG.INVALID');
      expect(error.message).toContain(problem);
      expect(`${error.message}${error.fix}`).not.toMatch(/secret|cret/);
    }
  });

  it('refuses a file: URL without a file, and names the setting it came from', () => {
    expect(thrown(() => parseDatabaseUrl('file:')).message).toBe("DATABASE_URL 'file:' names no file.");
    expect(thrown(() => parseDatabaseUrl('file:', '--database')).message).toBe("--database 'file:' names no file.");
    expect(thrown(() => parseDatabaseUrl('file://otherhost/x.db')).message).toContain('is not a valid file URL');
  });
});

describe('describeDatabaseSetting', () => {
  it('names the setting and hides the password', () => {
    expect(describeDatabaseSetting({ provider: 'postgresql', url: 'postgresql://u:secret@h/db' })).toBe(
      "DATABASE_URL 'postgresql://u:***@h/db'",
    );
    expect(describeDatabaseSetting({ provider: 'sqlite', url: 'file:/d/ltlab.db', setting: 'LTLAB_HOME' })).toBe(
      'LTLAB_HOME (the SQLite file /d/ltlab.db)',
    );
  });
});
