import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { labelTrainerExit } from './trainer-exit.js';
import type { TrainerOutcome } from './trainer-process.js';

function outcome(overrides: Partial<TrainerOutcome>): TrainerOutcome {
  return {
    exitCode: null,
    signal: null,
    failure: null,
    finished: false,
    stderrTail: [],
    pid: 4242,
    oomKills: 0,
    ...overrides,
  };
}

describe('labelTrainerExit', () => {
  it('calls a SIGKILL a kill, not out of memory, when the kernel counted no OOM kill', () => {
    const label = labelTrainerExit(outcome({ signal: 'SIGKILL' }));
    expect(label).toMatchObject({ code: 'TRAIN.KILLED', killed: true });
    expect(label.message).toBe(
      'The trainer (pid 4242) was killed by SIGKILL; the kernel recorded no out-of-memory kill.',
    );
  });

  it('says out of memory when the oom_kill count of its cgroup rose while it ran', () => {
    const label = labelTrainerExit(outcome({ signal: 'SIGKILL', oomKills: 1 }));
    expect(label).toMatchObject({ code: 'TRAIN.OUT_OF_MEMORY', killed: true });
    expect(label.message).toContain("the kernel's out-of-memory killer");
  });

  it('says so when the OOM count cannot be read', () => {
    expect(labelTrainerExit(outcome({ signal: 'SIGKILL', oomKills: null })).message).toContain(
      "the kernel's out-of-memory count could not be read",
    );
  });

  it('reads a wrapper exit code 128 + n as the signal n', () => {
    const label = labelTrainerExit(outcome({ exitCode: 137 }));
    expect(label).toMatchObject({ code: 'TRAIN.KILLED', killed: true });
    expect(label.message).toContain('exited with code 137 (128 + SIGKILL: killed by a signal)');
  });

  it("takes the trainer's own out-of-memory error from its output", () => {
    const label = labelTrainerExit(
      outcome({
        signal: 'SIGABRT',
        stderrTail: [
          '<--- Last few GCs --->',
          'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
        ],
      }),
    );
    expect(label.code).toBe('TRAIN.OUT_OF_MEMORY');
    expect(label.message).toContain('JavaScript heap out of memory');
  });

  it("keeps the trainer's own report", () => {
    const failure = {
      type: 'failed',
      error: { code: 'DATA.MISSING', message: 'no such file', retryable: false },
    } as unknown as TrainerOutcome['failure'];
    expect(labelTrainerExit(outcome({ exitCode: 1, failure }))).toMatchObject({
      code: 'DATA.MISSING',
      message: 'no such file',
      killed: false,
    });
  });

  it('calls any other exit without a report an internal error, with the last output', () => {
    const label = labelTrainerExit(outcome({ exitCode: 1, stderrTail: ['TypeError: x is undefined'] }));
    expect(label).toMatchObject({ code: 'INTERNAL', killed: false });
    expect(label.message).toBe(
      'The trainer (pid 4242) exited with code 1 without reporting an error. Last output: TypeError: x is undefined',
    );
  });

  it('labels a real child killed with SIGKILL as killed', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGKILL');
    const { code, signal } = await exited;
    const label = labelTrainerExit(outcome({ exitCode: code, signal, pid: child.pid }));
    expect(label.code).toBe('TRAIN.KILLED');
    expect(label.message).toContain('killed by SIGKILL');
  });
});
