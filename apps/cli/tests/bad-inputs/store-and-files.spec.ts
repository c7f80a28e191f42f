import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testPostgresUrl } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodedFailure,
  expectCodedFailure,
  type LtlabResult,
  type RunLtlabOptions,
  runLtlab,
} from './run-ltlab.js';

/**
 * Bad database URLs, database files and output paths: each gets one coded message naming the
 * setting or flag (DATABASE_URL, --output, --out) and the fix, promptly (no hang on /proc or a
 * pipe), with no stack trace, no password anywhere in the output, and nothing created or changed
 * where it should not be (no database under a bad path, no fallback database, no output file).
 */

const PASSWORD = 'Pa55-not-for-logs';
/** Root passes every permission check; the read-only cases run the binary as nobody instead. */
const AS_ORDINARY_USER: RunLtlabOptions = process.getuid?.() === 0 ? { user: { uid: 65534, gid: 65534 } } : {};
const QUICK_CONFIG = fileURLToPath(new URL('../../../../configs/fashion-mnist-lt/small/quick.yaml', import.meta.url));

describe('bad database URLs, database files and output paths', () => {
  let dir: string;
  /** A data directory of its own: a fallback to the embedded database would show up here. */
  let home: string;
  /** A regular file, to put paths under. */
  let regular: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-bad-store-'));
    // Reachable by the ordinary user of the read-only cases.
    chmodSync(dir, 0o755);
    home = join(dir, 'home');
    mkdirSync(home);
    regular = join(dir, 'regular');
    writeFileSync(regular, 'plain text\n');
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function ltlab(args: readonly string[], env: Record<string, string | undefined> = {}, options: RunLtlabOptions = {}) {
    return runLtlab(args, {
      timeoutMs: 30_000,
      ...options,
      env: { LTLAB_HOME: home, DATABASE_URL: undefined, ...env },
    });
  }

  /** The failure, and that the data directory holds no database: nothing fell back to it. */
  function expectRefused(result: LtlabResult, expected: CodedFailure): void {
    expectCodedFailure(result, { ...expected, never: [PASSWORD, ...(expected.never ?? [])] });
    expect(readdirSync(home), 'nothing written to LTLAB_HOME').toEqual([]);
  }

  describe('DATABASE_URL', () => {
    it('a SQLite path under a regular file', async () => {
      const result = await ltlab(['runs', 'list'], { DATABASE_URL: `file:${regular}/sub/ltlab.db` });
      expectRefused(result, {
        exit: 2,
        code: 'CONFIG.INVALID',
        mentions: [
          `DATABASE_URL 'file:${regular}/sub/ltlab.db'`,
          `${regular} is a file, not a directory`,
          'Fix: Point DATABASE_URL',
        ],
      });
      expect(readFileSync(regular, 'utf8')).toBe('plain text\n');
    });

    it('a SQLite path under /proc, refused at once instead of hanging', async () => {
      for (const path of ['/proc/self/status', '/proc/1/x.db']) {
        const result = await ltlab(['runs', 'list'], { DATABASE_URL: `file:${path}` });
        expectRefused(result, {
          exit: 2,
          code: 'CONFIG.INVALID',
          mentions: [`DATABASE_URL 'file:${path}'`, 'is under /proc, a kernel filesystem', 'Fix: '],
        });
        expect(result.elapsedMs).toBeLessThan(15_000);
      }
    });

    it('a named pipe, refused without opening it (opening would block)', async () => {
      const pipe = join(dir, 'pipe.db');
      execFileSync('mkfifo', [pipe]);
      const result = await ltlab(['runs', 'list'], { DATABASE_URL: `file:${pipe}` });
      expectRefused(result, { exit: 2, code: 'CONFIG.INVALID', mentions: ['DATABASE_URL', 'is not a regular file'] });
    });

    it('a directory instead of a file', async () => {
      const folder = join(dir, 'folder');
      mkdirSync(folder);
      const result = await ltlab(['runs', 'list'], { DATABASE_URL: `file:${folder}` });
      expectRefused(result, {
        exit: 2,
        code: 'CONFIG.INVALID',
        mentions: ['DATABASE_URL', 'is a directory', `Fix: Name a file in it, e.g. file:${folder}/ltlab.db`],
      });
      expect(readdirSync(folder)).toEqual([]);
    });

    it('a file that is not a SQLite database, left as it was', async () => {
      const random = join(dir, 'random.db');
      const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      writeFileSync(random, bytes);
      const result = await ltlab(['runs', 'list'], { DATABASE_URL: `file:${random}` });
      expectRefused(result, {
        exit: 2,
        code: 'CONFIG.INVALID',
        mentions: ['DATABASE_URL', 'is not a SQLite database'],
      });
      expect(readFileSync(random).equals(bytes)).toBe(true);
      expect(existsSync(`${random}-wal`)).toBe(false);
    });

    it('a read-only SQLite file for a command that writes (as an ordinary user)', async () => {
      const locked = join(dir, 'locked');
      mkdirSync(locked, { mode: 0o755 });
      const file = join(locked, 'ltlab.db');
      writeFileSync(file, '');
      chmodSync(file, 0o444);
      for (const args of [
        ['db', 'migrate'],
        ['runs', 'list'],
      ]) {
        const result = await ltlab(args, { DATABASE_URL: `file:${file}` }, AS_ORDINARY_USER);
        expectRefused(result, {
          exit: 2,
          code: 'CONFIG.INVALID',
          mentions: ['DATABASE_URL', `${file} is not writable by this user`, 'chmod u+w'],
        });
      }
      expect(statSync(file).size, 'the file is untouched').toBe(0);
    });

    it('a new SQLite file in a directory the user cannot write (as an ordinary user)', async () => {
      const closed = join(dir, 'closed');
      mkdirSync(closed);
      chmodSync(closed, 0o555);
      const result = await ltlab(['db', 'migrate'], { DATABASE_URL: `file:${closed}/ltlab.db` }, AS_ORDINARY_USER);
      expectRefused(result, {
        exit: 2,
        code: 'CONFIG.INVALID',
        mentions: ['DATABASE_URL', 'is not writable by this user'],
      });
      expect(readdirSync(closed)).toEqual([]);
    });

    it('set but empty: an error, not a silent fallback to the embedded database', async () => {
      for (const value of ['', '  ']) {
        const result = await ltlab(['runs', 'list'], { DATABASE_URL: value });
        expectRefused(result, {
          exit: 2,
          code: 'CONFIG.INVALID',
          mentions: ['DATABASE_URL is set but empty', 'unset DATABASE_URL'],
        });
      }
    });

    it('an unsupported scheme (mysql://, mongodb://), without the password', async () => {
      for (const scheme of ['mysql', 'mongodb']) {
        const result = await ltlab(['runs', 'list'], { DATABASE_URL: `${scheme}://root:${PASSWORD}@db:3306/ltlab` });
        expectRefused(result, {
          exit: 2,
          code: 'CONFIG.INVALID',
          mentions: [`DATABASE_URL '${scheme}://root:***@db:3306/ltlab' uses ${scheme}://`, 'postgresql://'],
        });
      }
    });

    it('a malformed postgresql:// URL (an unencoded / in the password, a bad %-escape), no part of it printed', async () => {
      for (const password of [`${PASSWORD}/x`, `${PASSWORD}%zz`]) {
        const result = await ltlab(['db', 'migrate'], {
          DATABASE_URL: `postgresql://ltlab:${password}@127.0.0.1:5432/ltlab`,
        });
        expectRefused(result, { exit: 2, code: 'CONFIG.INVALID', mentions: ['DATABASE_URL', 'percent-encoding'] });
      }
    });

    it('postgresql:// to a port where nothing listens: STORE.UNAVAILABLE at once', async () => {
      for (const url of [
        `postgresql://ltlab:${PASSWORD}@127.0.0.1:1/ltlab`,
        `postgres://:${PASSWORD}@127.0.0.1:1/ltlab`,
      ]) {
        const result = await ltlab(['runs', 'list'], { DATABASE_URL: url });
        expectRefused(result, {
          exit: 3,
          code: 'STORE.UNAVAILABLE',
          mentions: [
            'DATABASE_URL',
            ':***@127.0.0.1:1/ltlab',
            'cannot reach PostgreSQL at 127.0.0.1:1',
            'Fix: Start PostgreSQL',
          ],
        });
        expect(result.elapsedMs).toBeLessThan(15_000);
      }
    });

    it('a PostgreSQL database that does not exist', async () => {
      const url = new URL(testPostgresUrl());
      url.password = PASSWORD;
      url.pathname = '/ltlab_bad_inputs_missing';
      const result = await ltlab(['runs', 'list'], { DATABASE_URL: url.toString() });
      expectRefused(result, {
        exit: 2,
        code: 'CONFIG.INVALID',
        mentions: ["the database 'ltlab_bad_inputs_missing' does not exist", 'createdb', 'DATABASE_URL'],
      });
    });

    it('a login the server refuses (a user it does not know)', async () => {
      const url = new URL(testPostgresUrl());
      url.username = 'ltlab_bad_inputs_nobody';
      url.password = PASSWORD;
      const result = await ltlab(['db', 'migrate', '--status'], { DATABASE_URL: url.toString() });
      expectRefused(result, {
        exit: 2,
        code: 'CONFIG.INVALID',
        mentions: [
          "DATABASE_URL 'postgresql://ltlab_bad_inputs_nobody:***@",
          'refused the login',
          'user name and password',
        ],
      });
    });
  });

  describe('runs export', () => {
    /** Nothing at the output path, and no store opened (LTLAB_HOME stays empty). */
    async function expectExportRefused(args: string[], expected: Omit<CodedFailure, 'exit' | 'code'>, output?: string) {
      const result = await ltlab(['runs', 'export', ...args]);
      expectRefused(result, { exit: 2, code: 'CONFIG.INVALID', ...expected });
      if (output !== undefined) expect(existsSync(output), `${output} not written`).toBe(false);
    }

    it('--output in a directory that does not exist, which is not created', async () => {
      const output = join(dir, 'no', 'such', 'dir', 'runs.csv');
      await expectExportRefused(
        ['--output', output],
        { mentions: ['--output', 'which does not exist', 'mkdir -p'] },
        output,
      );
      expect(existsSync(join(dir, 'no'))).toBe(false);
    });

    it('--output under a regular file', async () => {
      await expectExportRefused(['--output', `${regular}/runs.csv`], {
        mentions: ['--output', 'which is a file, not a directory'],
      });
    });

    it('--output onto an existing directory', async () => {
      const folder = join(dir, 'export-dir');
      mkdirSync(folder);
      await expectExportRefused(['--output', folder], {
        mentions: [`--output '${folder}' is a directory`, 'Name a file in it'],
      });
      expect(readdirSync(folder)).toEqual([]);
    });

    it('--output into a kernel filesystem', async () => {
      await expectExportRefused(['--output', '/proc/sys/ltlab-runs.csv'], {
        mentions: ['--output', 'kernel filesystem'],
      });
    });

    it('--format with an unknown value', async () => {
      const output = join(dir, 'format.xml');
      await expectExportRefused(
        ['--format', 'xml', '--output', output],
        { mentions: ['--format', "'xml'", 'csv, json'] },
        output,
      );
    });

    it('--where with a malformed expression', async () => {
      const output = join(dir, 'where.csv');
      for (const term of ['optimizer.lr>>1', '=3', 'test/few>=lots']) {
        await expectExportRefused(
          ['--where', term, '--output', output],
          { mentions: [`--where '${term}'`, 'Fix: '] },
          output,
        );
      }
    });
  });

  describe('train --out', () => {
    it('a run directory under a regular file, refused before the backend starts', async () => {
      const result = await ltlab(['train', QUICK_CONFIG, '--out', `${regular}/run`, '--backend', 'cpu']);
      expectRefused(result, {
        exit: 2,
        code: 'CONFIG.INVALID',
        mentions: [`--out '${regular}/run' cannot be created: ${regular} is a file`],
      });
      expect(result.stderr).not.toContain('backend:');
    });
  });
});
