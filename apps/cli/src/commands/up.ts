import { z } from 'zod';
import { parseCommand } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { startServe } from './serve.js';
import { startWorker, untilSignal, workerFlagSchema, workerFlags } from './worker.js';

const USAGE = 'ltlab up [--slots N|all | --gpus ...] [--artifacts DIR]';

/** `ltlab up`: serve and a worker in one process, for the single-box case. */
export async function upCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(argv, workerFlags, workerFlagSchema.extend({}), USAGE);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const serve = await startServe({ staleAfterMs: 120_000, log });
  const { supervisor, root } = await startWorker(values, log);
  log(`up: recorder running; worker slots ${supervisor.slotNames.join(', ')}; artifacts ${root}. Ctrl-C stops.`);
  await untilSignal();
  await supervisor.close();
  await serve.close();
  return EXIT.ok;
}
export const upFlagSchema = z.object({});
