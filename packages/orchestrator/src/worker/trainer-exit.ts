import { constants } from 'node:os';
import type { ErrorCode } from '@ltlab/core';
import type { TrainerOutcome } from './trainer-process.js';

/** What ended a trainer that did not finish, in the words the run's record and the log use. */
export interface TrainerExitLabel {
  /** An ErrorCode; a trainer's own report may carry a code of a newer version, kept as it came. */
  code: ErrorCode | (string & {});
  message: string;
  /** Killed by a signal (its own or a wrapper's exit code 128 + n): the worker logs it as a kill. */
  killed: boolean;
}

/** Lines a trainer prints when it runs out of memory without reporting it (V8's heap, TF's allocator). */
const OWN_OUT_OF_MEMORY =
  /JavaScript heap out of memory|Reached heap limit|Allocation failed|OOM when allocating|out of memory/i;

/**
 * Labels a trainer that did not finish: its own report if it sent one; out of memory only when
 * the kernel says so (the oom_kill count of its memory cgroup rose while it ran) or the trainer
 * printed its own out-of-memory error; else the signal or exit code, as they were.
 */
export function labelTrainerExit(outcome: TrainerOutcome): TrainerExitLabel {
  const reported = outcome.failure?.error;
  const signal = outcome.signal ?? signalOfExitCode(outcome.exitCode);
  const how =
    outcome.signal !== null
      ? `was killed by ${outcome.signal}`
      : signal !== null
        ? `exited with code ${outcome.exitCode} (128 + ${signal}: killed by a signal)`
        : `exited with code ${outcome.exitCode}`;
  const pid = outcome.pid === undefined ? '' : ` (pid ${outcome.pid})`;
  const tail = outcome.stderrTail.slice(-5).join(' | ');
  if (reported !== undefined) return { code: reported.code, message: reported.message, killed: signal !== null };
  if (outcome.oomKills !== null && outcome.oomKills > 0 && signal === 'SIGKILL') {
    return {
      code: 'TRAIN.OUT_OF_MEMORY',
      message: `The trainer${pid} ${how}: the kernel's out-of-memory killer (oom_kill of its memory cgroup rose by ${outcome.oomKills} while it ran).`,
      killed: true,
    };
  }
  const ownOom = outcome.stderrTail.find((line) => OWN_OUT_OF_MEMORY.test(line));
  if (ownOom !== undefined) {
    return {
      code: 'TRAIN.OUT_OF_MEMORY',
      message: `The trainer${pid} ${how} after running out of memory: ${ownOom.trim()}`,
      killed: signal !== null,
    };
  }
  if (signal !== null) {
    const kernel =
      outcome.oomKills === null
        ? "the kernel's out-of-memory count could not be read"
        : 'the kernel recorded no out-of-memory kill';
    return {
      code: 'TRAIN.KILLED',
      message: `The trainer${pid} ${how}; ${kernel}.${tail === '' ? '' : ` Last output: ${tail}`}`,
      killed: true,
    };
  }
  return {
    code: 'INTERNAL',
    message: `The trainer${pid} ${how} without reporting an error${outcome.exitCode === 0 ? ' or finishing' : ''}.${tail === '' ? '' : ` Last output: ${tail}`}`,
    killed: false,
  };
}

/** A shell or wrapper reports a child killed by signal n as exit code 128 + n. */
function signalOfExitCode(exitCode: number | null): NodeJS.Signals | null {
  if (exitCode === null || exitCode <= 128 || exitCode > 128 + 64) return null;
  const entry = Object.entries(constants.signals).find(([, number]) => number === exitCode - 128);
  return entry === undefined ? null : (entry[0] as NodeJS.Signals);
}
