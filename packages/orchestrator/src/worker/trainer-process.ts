import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type TrainerEvent, trainerEventSchema } from '@ltlab/config';
import { oomKillCounterFile, readOomKills } from './oom-kills.js';
import { type Slot, slotEnv } from './slots.js';

export interface TrainerCommand {
  command: string;
  args: readonly string[];
}

export interface TrainerOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last `failed` event, if the trainer reported one. */
  failure: Extract<TrainerEvent, { type: 'failed' }> | null;
  finished: boolean;
  /** The last lines the trainer wrote to stderr (for the error message of a crash). */
  stderrTail: string[];
  /** The trainer's process id (undefined when it could not be started). */
  pid: number | undefined;
  /**
   * How many out-of-memory kills the kernel counted in the trainer's memory cgroup while it ran
   * (null where the count cannot be read): a SIGKILL is an OOM kill only if this rose.
   */
  oomKills: number | null;
}

const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((path) => existsSync(path));

/**
 * A trainer child on one slot: CPU slots are pinned to their core with taskset where available,
 * GPU slots see only their GPU. Events arrive parsed through `onEvent`; other stdout lines are
 * passed to `onLog`.
 */
export class TrainerProcess {
  readonly #child: ChildProcess;
  readonly done: Promise<TrainerOutcome>;

  constructor(options: {
    command: TrainerCommand;
    slot: Slot;
    job: unknown;
    env?: NodeJS.ProcessEnv;
    onEvent: (event: TrainerEvent) => void;
    onLog?: (line: string) => void;
    /** Finds the file counting OOM kills for a pid (tests point it at a fake cgroup). */
    oomCounterFile?: (pid: number) => string | null;
  }) {
    const { command, slot } = options;
    const pinned = slot.kind === 'cpu' && TASKSET !== undefined;
    const file = pinned ? (TASKSET as string) : command.command;
    const args = pinned ? ['-c', String(slot.core), command.command, ...command.args] : [...command.args];
    this.#child = spawn(file, args, {
      env: slotEnv(slot, options.env ?? process.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pid = this.#child.pid;
    const oomFile = pid === undefined ? null : (options.oomCounterFile ?? oomKillCounterFile)(pid);
    const oomBefore = oomFile === null ? null : readOomKills(oomFile);
    let failure: TrainerOutcome['failure'] = null;
    let finished = false;
    const stderrTail: string[] = [];
    const stdout = createInterface({ input: this.#child.stdout as NodeJS.ReadableStream });
    stdout.on('line', (line) => {
      const parsed = line.startsWith('{') ? trainerEventSchema.safeParse(safeJson(line)) : undefined;
      if (parsed?.success !== true) {
        options.onLog?.(line);
        return;
      }
      const event = parsed.data;
      if (event.type === 'failed') failure = event;
      if (event.type === 'finished') finished = true;
      options.onEvent(event);
    });
    const stderr = createInterface({ input: this.#child.stderr as NodeJS.ReadableStream });
    stderr.on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 40) stderrTail.shift();
      options.onLog?.(line);
    });
    const stdoutClosed = new Promise<void>((resolve) => stdout.once('close', resolve));
    this.done = new Promise<TrainerOutcome>((resolve) => {
      this.#child.once('error', (error) => {
        stderrTail.push(`spawn failed: ${error.message}`);
      });
      this.#child.once('close', (exitCode, signal) => {
        const oomAfter = oomFile === null ? null : readOomKills(oomFile);
        const oomKills = oomBefore === null || oomAfter === null ? null : oomAfter - oomBefore;
        void stdoutClosed.then(() => resolve({ exitCode, signal, failure, finished, stderrTail, pid, oomKills }));
      });
    });
    this.#child.stdin?.end(JSON.stringify(options.job));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** SIGTERM (the trainer stops after its current step), then SIGKILL after `graceMs`. */
  stop(graceMs = 30_000): void {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    timer.unref();
    void this.done.then(() => clearTimeout(timer));
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
