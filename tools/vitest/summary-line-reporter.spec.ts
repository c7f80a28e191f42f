import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Runs vitest on a fixture config (relative to __fixtures__) and returns its stdout lines. */
function runFixture(config: string): { status: number | null; lines: string[] } {
  const vitest = fileURLToPath(new URL('../../node_modules/.bin/vitest', import.meta.url));
  const path = fileURLToPath(new URL(`./__fixtures__/${config}`, import.meta.url));
  const result = spawnSync(vitest, ['run', '--config', path], { encoding: 'utf8' });
  return { status: result.status, lines: result.stdout.trim().split('\n') };
}

describe('summary line reporter', () => {
  it('ends a run with "N passed, N failed", counting a failed setup as a failure', () => {
    const { status, lines } = runFixture('vitest.fixture.config.ts');
    expect(status).not.toBe(0);
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 1 skipped');
  });

  it('names a file whose test worker died and counts its tests as failed, not skipped', () => {
    const { status, lines } = runFixture('worker-exit/vitest.fixture.config.ts');
    expect(status).not.toBe(0);
    expect(lines).toContain('did not finish (its test worker exited): worker-exit.fixture.ts (3 tests)');
    // The file's 3 tests, and vitest's unhandled "Worker exited unexpectedly" error.
    expect(lines.at(-1)).toBe('0 passed, 4 failed');
  });
});
