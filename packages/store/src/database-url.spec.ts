import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactUrl, resolveDatabase } from './database-url.js';

describe('resolveDatabase', () => {
  it('defaults to a SQLite file in the data directory', () => {
    expect(resolveDatabase({ env: {}, dataDir: '/data/x' })).toEqual({
      provider: 'sqlite',
      url: 'file:/data/x/ltlab.db',
    });
    expect(resolveDatabase({ env: { LTLAB_HOME: '/home/lt' } }).url).toBe('file:/home/lt/ltlab.db');
  });

  it('takes DATABASE_URL for PostgreSQL or SQLite', () => {
    expect(resolveDatabase({ env: { DATABASE_URL: 'postgresql://u:p@db:5432/lt' } })).toEqual({
      provider: 'postgresql',
      url: 'postgresql://u:p@db:5432/lt',
    });
    expect(parseDatabaseUrl('postgres://db/lt').provider).toBe('postgresql');
    expect(parseDatabaseUrl('file:/tmp/a.db')).toEqual({ provider: 'sqlite', url: 'file:/tmp/a.db' });
  });

  it('rejects other URLs with the fix, without leaking the password', () => {
    expect(() => parseDatabaseUrl('mysql://u:secret@h/db')).toThrow(/neither postgresql:\/\/ nor file:/);
    expect(() => parseDatabaseUrl('file:')).toThrow(/DATABASE_URL/);
    expect(redactUrl('postgresql://u:secret@h/db')).toBe('postgresql://u:***@h/db');
    try {
      parseDatabaseUrl('postgresql://u:secret@h:notaport/db');
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });
});
