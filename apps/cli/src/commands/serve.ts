import { startDashboard } from '@ltlab/dashboard';
import {
  cancelRuns,
  connectRedis,
  openRunsQueue,
  type ProducerContext,
  queueSettingsFromEnv,
  Recorder,
  reapStaleRuns,
  retryRuns,
} from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { z } from 'zod';
import { parseCommand } from '../args.js';
import { artifactRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { untilSignal } from './worker.js';

const USAGE = 'ltlab serve [--host 127.0.0.1] [--port 7420] [--token T] [--stale-after SECONDS]';

export const serveFlags = {
  host: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
  'stale-after': { type: 'string' },
} as const;

export const serveFlagSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(7420),
  token: z.string().optional(),
  'stale-after': z.coerce.number().positive().default(120),
});

export interface ServeHandle {
  store: PrismaRunStore;
  url: string;
  close(): Promise<void>;
}

/**
 * The control host: the recorder (events queue into the store), the reaper of runs whose
 * heartbeats stopped, and the dashboard. A token (--token or LTLAB_TOKEN) is required to bind
 * anything but loopback; every mutating request checks it.
 */
export async function startServe(
  options: z.output<typeof serveFlagSchema> & { log: (line: string) => void },
): Promise<ServeHandle> {
  const settings = queueSettingsFromEnv();
  const store = await openRunStore();
  const redis = await connectRedis(settings);
  const runs = openRunsQueue(settings, redis);
  const ctx: ProducerContext = { store, runs, redis, settings };
  const token = options.token ?? (process.env.LTLAB_TOKEN || undefined);
  const dashboard = await startDashboard({
    store,
    host: options.host,
    port: options.port,
    ...(token === undefined ? {} : { token }),
    artifactRoot: artifactRoot(),
    control: { cancel: (ids) => cancelRuns(ctx, ids), retry: (ids) => retryRuns(ctx, ids) },
    staleAfterMs: options['stale-after'] * 1000,
  });
  const recorder = Recorder.start({ settings, store, onRecorded: () => dashboard.notify() });
  await recorder.ready();
  const staleAfterMs = options['stale-after'] * 1000;
  const reaper = setInterval(
    () => {
      void reapStaleRuns(store, runs, staleAfterMs)
        .then((result) => {
          if (result.requeued.length > 0) options.log(`reaper: requeued ${result.requeued.join(', ')}`);
        })
        .catch((error: unknown) => options.log(`reaper: ${error instanceof Error ? error.message : String(error)}`));
    },
    Math.max(1_000, Math.floor(staleAfterMs / 3)),
  );
  return {
    store,
    url: dashboard.url,
    async close() {
      clearInterval(reaper);
      await recorder.close();
      await dashboard.close();
      await runs.close();
      redis.disconnect();
      await store.close();
    },
  };
}

export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(argv, serveFlags, serveFlagSchema, USAGE);
  const handle = await startServe({ ...values, log: (line) => process.stderr.write(`${line}\n`) });
  process.stderr.write(`serve: dashboard ${handle.url}; recording events into the store. Ctrl-C stops.\n`);
  await untilSignal();
  await handle.close();
  return EXIT.ok;
}
