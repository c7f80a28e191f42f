import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * The bad-inputs suite (issue: security and failure behaviour) runs the real `ltlab` binary, as
 * a careless user or an attacker would, and checks what comes back: the exit code, one coded
 * message naming the field and the fix, and no stack trace.
 */
const BIN = fileURLToPath(new URL('../../bin/ltlab.mjs', import.meta.url));

export interface LtlabResult {
  /** Exit status, or null when the process was killed by `timeoutMs`. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  elapsedMs: number;
}

export interface RunLtlabOptions {
  /** Added to (and overriding) this process's environment. `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Killed (status null) after this many ms: a hang is a failure, not a slow test. */
  timeoutMs?: number;
  /** Written to stdin, then closed. */
  input?: string;
  /**
   * Run as this user and group (needs root): permission checks are invisible to root, so a test
   * of a read-only file or directory runs the binary as an ordinary user (e.g. nobody, 65534).
   */
  user?: { uid: number; gid: number };
}

/** Runs `ltlab ...args` in a child process and collects its output. */
export function runLtlab(args: readonly string[], options: RunLtlabOptions = {}): Promise<LtlabResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: options.cwd,
      stdio: 'pipe',
      ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, elapsedMs: Date.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A line of a JavaScript stack trace (`    at fn (file:1:2)`). */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

export interface CodedFailure {
  /** The exit code (2 usage or config, 3 unavailable, 1 failed). */
  exit: number;
  /** The error code printed in brackets, e.g. `CONFIG.INVALID`. */
  code: string;
  /** Text the message must contain: the field's path, the value's name, the fix. */
  mentions?: readonly (string | RegExp)[];
  /** Text that must not appear anywhere in the output (a password, say). */
  never?: readonly string[];
}

/** Asserts a coded failure: exit code, `[CODE]` on stderr, the mentions, and no stack trace. */
export function expectCodedFailure(result: LtlabResult, expected: CodedFailure): void {
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, `exit code; output:\n${output}`).toBe(expected.exit);
  expect(result.stderr, 'the coded message').toContain(`[${expected.code}]`);
  expect(output, 'no stack trace').not.toMatch(STACK_LINE);
  expect(output, 'not an internal error').not.toContain('[INTERNAL]');
  for (const mention of expected.mentions ?? []) {
    if (typeof mention === 'string') expect(result.stderr).toContain(mention);
    else expect(result.stderr).toMatch(mention);
  }
  for (const secret of expected.never ?? []) expect(output).not.toContain(secret);
}
