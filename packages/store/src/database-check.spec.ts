import { describe, expect, it } from 'vitest';
import { checkDatabase } from './database-check.js';
import { testPostgresUrl } from './testing/temporary-database.js';

describe('checkDatabase', () => {
  it('checks a SQLite target by its file and a PostgreSQL target by connecting', async () => {
    await expect(checkDatabase({ provider: 'sqlite', url: 'file:/proc/self/status' })).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
    });
    await expect(checkDatabase({ provider: 'postgresql', url: 'postgresql://u@127.0.0.1:1/db' })).rejects.toMatchObject(
      {
        code: 'STORE.UNAVAILABLE',
      },
    );
    await expect(checkDatabase({ provider: 'postgresql', url: testPostgresUrl() })).resolves.toBeUndefined();
    await expect(checkDatabase({ provider: 'sqlite', url: 'file::memory:' })).resolves.toBeUndefined();
  });
});
