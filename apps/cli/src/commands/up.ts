import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { EXIT } from '../exit-codes.js';
import { serveFlagSchema, startServe } from './serve.js';
import { startWorker, untilSignalOr, workerFlagSchema } from './worker.js';

/**
 * `ltlab up`: serve (recorder, reaper, dashboard) and a worker in one process, for one machine.
 * The recorder logs each run's start and end with its label, so the trainers need not.
 */
export async function upCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(workerFlagSchema.extend(serveFlagSchema.shape), input);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const serve = await startServe({ ...values, log });
  let started: Awaited<ReturnType<typeof startWorker>>;
  try {
    // serve checked the Redis settings already.
    started = await startWorker(values, log, { checkDurability: false });
  } catch (error) {
    await serve.close();
    throw error;
  }
  const { supervisor, root } = started;
  log(`up: dashboard ${serve.url}; worker slots ${supervisor.slotNames.join(', ')}; artifacts ${root}. Ctrl-C stops.`);
  const fatal = await untilSignalOr(supervisor.fatal);
  if (fatal !== null) {
    log('up: giving up on Redis; running trainers stop at their last checkpoint...');
    await supervisor.abandon();
    throw fatal;
  }
  await supervisor.close();
  await serve.close();
  return EXIT.ok;
}
