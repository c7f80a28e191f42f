import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemErrorAsUsage } from './system-error.js';

/** What a failing call throws: a real Node system error, not a hand-made imitation. */
function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('systemErrorAsUsage', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-system-error-'));
    writeFileSync(join(dir, 'file'), 'x');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns path errors about the user’s files into CONFIG.INVALID naming the path', () => {
    for (const [path, words] of [
      [join(dir, 'missing', 'x.csv'), 'does not exist (ENOENT on open)'],
      [join(dir, 'file', 'x.csv'), 'a part of the path is not a directory (ENOTDIR on open)'],
      [dir, 'is a directory (EISDIR on open)'],
    ] as const) {
      const error = systemErrorAsUsage(caught(() => writeFileSync(path, 'x')));
      expect(error?.code).toBe('CONFIG.INVALID');
      expect(error?.message).toBe(`${path}: ${words}.`);
      expect(error?.fix).toContain('Check the path');
    }
  });

  it('turns a busy port into CONFIG.INVALID naming the address', async () => {
    const first = createServer();
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    const port = (first.address() as { port: number }).port;
    const second = createServer();
    const error = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    first.close();
    const coded = systemErrorAsUsage(error);
    expect(coded?.code).toBe('CONFIG.INVALID');
    expect(coded?.message).toBe(`127.0.0.1:${port}: the address is already in use (EADDRINUSE on listen).`);
  });

  it('leaves ltlab’s own files, other errors and non-errors to the INTERNAL path', () => {
    const own = fileURLToPath(new URL('./no-such-module-file.js', import.meta.url));
    expect(systemErrorAsUsage(caught(() => writeFileSync(join(own, 'x'), 'x')))).toBeUndefined();
    const inDependency = Object.assign(new Error('ENOENT'), {
      code: 'ENOENT',
      syscall: 'open',
      path: '/x/node_modules/y/z.js',
    });
    expect(systemErrorAsUsage(inDependency)).toBeUndefined();
    expect(systemErrorAsUsage(new TypeError('x is not a function'))).toBeUndefined();
    expect(systemErrorAsUsage(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(systemErrorAsUsage('ENOENT')).toBeUndefined();
  });
});
