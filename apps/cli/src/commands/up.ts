import { parseCommand } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { serveFlagSchema, serveFlags, startServe } from './serve.js';
import { startWorker, untilSignal, workerFlagSchema, workerFlags } from './worker.js';

const USAGE = 'ltlab up [--slots N|all | --gpus ...] [--artifacts DIR] [--host H] [--port P] [--token T]';

/** `ltlab up`: serve (recorder, reaper, dashboard) and a worker in one process, for one machine. */
export async function upCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(
    argv,
    { ...workerFlags, ...serveFlags },
    workerFlagSchema.extend(serveFlagSchema.shape),
    USAGE,
  );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const serve = await startServe({ ...values, log });
  const { supervisor, root } = await startWorker(values, log);
  log(`up: dashboard ${serve.url}; worker slots ${supervisor.slotNames.join(', ')}; artifacts ${root}. Ctrl-C stops.`);
  await untilSignal();
  await supervisor.close();
  await serve.close();
  return EXIT.ok;
}
