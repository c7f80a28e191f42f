import { Writable } from 'node:stream';
import type { TrainerEvent } from '@ltlab/config';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import { coloursFor } from '../colours.js';
import type { CommandInput } from '../command-spec.js';
import { importTrainingPackage } from '../training-packages.js';
import { formatRunMoment, momentOfTrainerEvent } from './run-log.js';

const flagSchema = z.object({ 'log-runs': z.boolean().default(false) });

/**
 * Internal: the trainer child a worker starts for each job (stdin: job JSON, stdout: events).
 * With --log-runs (what `ltlab worker` asks for) it also writes a line to stderr when the run
 * starts and ends; the worker prints its trainers' stderr under the slot's name.
 */
export async function trainChildCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(flagSchema, input);
  const { runTrainerChild } = await importTrainingPackage('@ltlab/train', 'ltlab worker', () => import('@ltlab/train'));
  const stdout = values['log-runs'] ? withRunLog(process.stdout) : process.stdout;
  return runTrainerChild({ stdin: process.stdin, stdout });
}

/**
 * Passes every event line on to `out` unchanged and logs the run's start and end. Writes go
 * through at once (no buffering here), so nothing is held back when the child exits.
 */
function withRunLog(out: NodeJS.WriteStream): Writable {
  const colours = coloursFor(process.stderr);
  let pending = '';
  const tee = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      out.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) logLine(line);
      callback();
    },
  });
  // The trainer stops when its stdout breaks (an orphan's pipe): let it see that through the tee.
  out.on('error', (error) => tee.destroy(error));
  function logLine(line: string): void {
    let event: TrainerEvent;
    try {
      event = JSON.parse(line) as TrainerEvent;
    } catch {
      return;
    }
    const moment = momentOfTrainerEvent(event);
    if (moment !== null) process.stderr.write(`${formatRunMoment(moment, { id: event.runId }, colours)}\n`);
  }
  return tee;
}
