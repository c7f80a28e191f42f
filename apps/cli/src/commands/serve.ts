import { connectRedis, openRunsQueue, queueSettingsFromEnv, Recorder, reapStaleRuns } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { z } from 'zod';
import { parseCommand } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { untilSignal } from './worker.js';

const USAGE = 'ltlab serve [--stale-after SECONDS]';

export interface ServeHandle {
  store: PrismaRunStore;
  close(): Promise<void>;
}

/** The recorder (events queue into the store) and the reaper of runs whose heartbeats stopped. */
export async function startServe(options: { staleAfterMs: number; log: (line: string) => void }): Promise<ServeHandle> {
  const settings = queueSettingsFromEnv();
  const store = await openRunStore();
  const redis = await connectRedis(settings);
  const runs = openRunsQueue(settings, redis);
  const recorder = Recorder.start({ settings, store });
  await recorder.ready();
  const reaper = setInterval(
    () => {
      void reapStaleRuns(store, runs, options.staleAfterMs)
        .then((result) => {
          if (result.requeued.length > 0) options.log(`reaper: requeued ${result.requeued.join(', ')}`);
        })
        .catch((error: unknown) => options.log(`reaper: ${error instanceof Error ? error.message : String(error)}`));
    },
    Math.max(1_000, Math.floor(options.staleAfterMs / 3)),
  );
  return {
    store,
    async close() {
      clearInterval(reaper);
      await recorder.close();
      await runs.close();
      redis.disconnect();
      await store.close();
    },
  };
}

export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(
    argv,
    { 'stale-after': { type: 'string' } },
    z.object({ 'stale-after': z.coerce.number().positive().default(120) }),
    USAGE,
  );
  const handle = await startServe({
    staleAfterMs: values['stale-after'] * 1000,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write('serve: recording events into the store; Ctrl-C stops.\n');
  await untilSignal();
  await handle.close();
  return EXIT.ok;
}
