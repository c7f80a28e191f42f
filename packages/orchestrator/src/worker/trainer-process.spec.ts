import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labelTrainerExit } from './trainer-exit.js';
import { TrainerProcess } from './trainer-process.js';

/** A trainer that waits to be killed. */
const SLEEPER = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] };

describe('TrainerProcess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-trainer-process-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function killed(counter: string, oomKillsWhileRunning: number) {
    writeFileSync(counter, 'oom 0\noom_kill 3\n');
    const trainer = new TrainerProcess({
      command: SLEEPER,
      slot: { kind: 'cpu', core: 0 },
      job: {},
      onEvent: () => undefined,
      oomCounterFile: () => counter,
    });
    // What the kernel would do to memory.events when its OOM killer strikes in the cgroup.
    writeFileSync(counter, `oom ${oomKillsWhileRunning}\noom_kill ${3 + oomKillsWhileRunning}\n`);
    process.kill(trainer.pid as number, 'SIGKILL');
    return await trainer.done;
  }

  it('counts the OOM kills of its cgroup while it ran: a SIGKILL with one is out of memory', async () => {
    const outcome = await killed(join(dir, 'oom.events'), 1);
    expect(outcome).toMatchObject({ signal: 'SIGKILL', oomKills: 1 });
    expect(labelTrainerExit(outcome).code).toBe('TRAIN.OUT_OF_MEMORY');
  });

  it('a SIGKILL without one is a kill', async () => {
    const outcome = await killed(join(dir, 'quiet.events'), 0);
    expect(outcome).toMatchObject({ signal: 'SIGKILL', oomKills: 0 });
    expect(labelTrainerExit(outcome)).toMatchObject({ code: 'TRAIN.KILLED', killed: true });
  });

  it('says it cannot tell where no counter is readable', async () => {
    const trainer = new TrainerProcess({
      command: SLEEPER,
      slot: { kind: 'cpu', core: 0 },
      job: {},
      onEvent: () => undefined,
      oomCounterFile: () => null,
    });
    trainer.stop(0);
    const outcome = await trainer.done;
    expect(outcome.oomKills).toBeNull();
    expect(labelTrainerExit(outcome).message).toContain('could not be read');
  });
});
