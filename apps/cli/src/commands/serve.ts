import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { isLtlabError, LtlabError } from '@ltlab/core';
import { startDashboard } from '@ltlab/dashboard';
import {
  cancelRuns,
  connectRedis,
  LocalArtifactStore,
  openRunsQueue,
  type ProducerContext,
  queueSettingsFromEnv,
  Recorder,
  reapStaleRuns,
  retryRuns,
  warnIfRedisNotDurable,
} from '@ltlab/orchestrator';
import {
  type DatabaseTarget,
  openRunStore,
  type PrismaRunStore,
  parseDatabaseUrl,
  redactUrl,
  resolveDatabase,
} from '@ltlab/store';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import { coloursFor } from '../colours.js';
import type { CommandInput } from '../command-spec.js';
import { artifactRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { logRecordedRuns } from './run-log.js';
import { untilSignal } from './worker.js';

/** An IP address (IPv6 with or without brackets) or a host name (RFC 1123 labels). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const hostFlag = z
  .string()
  .transform((value) => value.trim().replace(/^\[(.*)\]$/, '$1'))
  .refine(
    (value) => isIP(value) !== 0 || HOST_NAME.test(value),
    'not an IP address or a host name (e.g. 127.0.0.1, 0.0.0.0, ::1, my-host.example)',
  );

export const serveFlagSchema = z.object({
  host: hostFlag.default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(7420),
  token: z.string().optional(),
  'stale-after': z.coerce.number().positive().default(120),
  database: z.string().min(1).optional(),
  'artifact-max-mb': z.coerce.number().positive().default(4096),
});

/** The artifact service over the control host's artifact root (docs/deploy.md "Artifacts across hosts"). */
function artifactService(options: z.output<typeof serveFlagSchema>) {
  return {
    backend: new LocalArtifactStore(artifactRoot()),
    maxBytes: Math.floor(options['artifact-max-mb'] * 1024 * 1024),
  };
}

const serveCommandSchema = serveFlagSchema.extend({ 'read-only': z.boolean().default(false) });

/** The fix for each dashboard option that `ltlab serve` takes as a flag. */
const FLAG_FIXES: Record<string, string> = {
  port: 'Stop what listens on that port, or pass another --port (--port 0 picks a free one).',
  host: 'Pass --host an address of this machine (127.0.0.1, the default; 0.0.0.0 for every interface) or a name that resolves to one.',
};

/**
 * The dashboard reports a bad bind (busy port, unknown host, no token for a public host) as a
 * coded error with the option in `details.option`: name the flag that sets it.
 */
export function asFlagError(error: unknown): unknown {
  const option = isLtlabError(error) ? error.details?.option : undefined;
  if (!isLtlabError(error) || typeof option !== 'string') return error;
  const value = error.details?.value;
  const reason = error.details?.reason;
  // A listen failure (it has a reason) gets the flag's fix; a refused token keeps its own.
  const fix = reason === 'EACCES' ? 'Pass a --port above 1023.' : reason === undefined ? error.fix : FLAG_FIXES[option];
  return new LtlabError(error.code, `--${option}${value === undefined ? '' : ` ${String(value)}`}: ${error.message}`, {
    ...(fix === undefined ? {} : { fix }),
    details: { ...error.details, flag: `--${option}` },
    cause: error,
  });
}

/**
 * How a browser gets in when the dashboard has a token: once with `?token=`, then by its
 * session cookie. The token itself is not printed: logs are kept and shared.
 */
export function tokenHint(url: string): string {
  return ` reads and changes need the token: open ${url}?token=<your --token or LTLAB_TOKEN> once, the browser then keeps a session cookie.`;
}

export interface ServeHandle {
  store: PrismaRunStore;
  url: string;
  /** Reads and changes through the dashboard need the token (`--token` or LTLAB_TOKEN). */
  tokenRequired: boolean;
  close(): Promise<void>;
}

/** --database, else DATABASE_URL, else SQLite in $LTLAB_HOME; a bare path is a SQLite file. */
export function storeTarget(database: string | undefined): DatabaseTarget {
  if (database === undefined) return resolveDatabase();
  return parseDatabaseUrl(/^[a-z][a-z0-9+.-]*:/i.test(database) ? database : `file:${database}`, '--database');
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
  // Redis first: a refused Redis must not leave a new database file behind.
  const redis = await connectRedis(settings);
  const store = await openRunStore({ target: storeTarget(options.database) }).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  await warnIfRedisNotDurable(redis, settings, options.log);
  const runs = openRunsQueue(settings, redis);
  const ctx: ProducerContext = { store, runs, redis, settings };
  const token = options.token ?? (process.env.LTLAB_TOKEN || undefined);
  const dashboard = await startDashboard({
    store,
    host: options.host,
    port: options.port,
    ...(token === undefined ? {} : { token }),
    artifactRoot: artifactRoot(),
    artifacts: artifactService(options),
    control: { cancel: (ids) => cancelRuns(ctx, ids), retry: (ids) => retryRuns(ctx, ids) },
    staleAfterMs: options['stale-after'] * 1000,
  }).catch(async (error: unknown) => {
    await runs.close();
    redis.disconnect();
    await store.close();
    throw asFlagError(error);
  });
  const logRun = logRecordedRuns(store, options.log, coloursFor(process.stderr));
  const recorder = Recorder.start({
    settings,
    store,
    onRecorded: (envelope) => {
      dashboard.notify();
      logRun(envelope);
    },
  });
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
    tokenRequired: token !== undefined,
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

/**
 * A viewer of a store (`serve --read-only`): the dashboard only, refusing changes. No Redis, no
 * recorder or reaper, no migrations, and no new database file where none is.
 */
export async function startViewer(
  options: z.output<typeof serveFlagSchema>,
): Promise<ServeHandle & { database: string }> {
  const target = storeTarget(options.database);
  const file = target.provider === 'sqlite' ? target.url.slice('file:'.length) : null;
  if (file !== null && file !== ':memory:' && !existsSync(file)) {
    throw new LtlabError('STORE.UNAVAILABLE', `There is no database at ${file}.`, {
      fix: 'Point --database (or DATABASE_URL) at an existing store; a read-only viewer creates none.',
      retryable: false,
    });
  }
  const store = await openRunStore({ target, migrate: false });
  const token = options.token ?? (process.env.LTLAB_TOKEN || undefined);
  try {
    const dashboard = await startDashboard({
      store,
      host: options.host,
      port: options.port,
      ...(token === undefined ? {} : { token }),
      artifactRoot: artifactRoot(),
      artifacts: artifactService(options),
      staleAfterMs: options['stale-after'] * 1000,
      readOnly: true,
    });
    return {
      store,
      url: dashboard.url,
      tokenRequired: token !== undefined,
      database: redactUrl(target.url),
      async close() {
        await dashboard.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw asFlagError(error);
  }
}

export async function serveCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(serveCommandSchema, input);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (values['read-only']) {
    const viewer = await startViewer(values);
    log(`serve: dashboard ${viewer.url}, read-only over ${viewer.database} (no Redis, no writes). Ctrl-C stops.`);
    if (viewer.tokenRequired) log(`serve:${tokenHint(viewer.url)}`);
    await untilSignal();
    await viewer.close();
    return EXIT.ok;
  }
  const handle = await startServe({ ...values, log });
  log(`serve: dashboard ${handle.url}; recording events into the store. Ctrl-C stops.`);
  if (handle.tokenRequired) log(`serve:${tokenHint(handle.url)}`);
  await untilSignal();
  await handle.close();
  return EXIT.ok;
}
