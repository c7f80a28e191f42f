import type { FlagSpec, LeafSpec } from '../command-spec.js';

export const serveFlags: readonly FlagSpec[] = [
  {
    name: 'host',
    value: 'HOST',
    description:
      'the dashboard address: an IP address or a name of this machine (default 127.0.0.1; any other needs --token)',
  },
  { name: 'port', value: 'PORT', description: 'the dashboard port (default 7420; 0 picks a free one)' },
  {
    name: 'token',
    value: 'T',
    description:
      'required by every read and change through the dashboard (or LTLAB_TOKEN); a browser opens it once with ?token=T',
  },
  {
    name: 'stale-after',
    value: 'SECONDS',
    description: 'requeue a run whose heartbeats stopped this long ago (default 120)',
  },
  {
    name: 'artifact-max-mb',
    value: 'MIB',
    description: 'the largest checkpoint workers may upload to the artifact service (default 4096)',
  },
  {
    name: 'database',
    value: 'URL',
    description: 'the store: postgresql://..., file:PATH or a SQLite file (default DATABASE_URL, else $LTLAB_HOME)',
  },
];

export const serveSpec: LeafSpec = {
  name: 'serve',
  summary: 'record events into the store, requeue lost runs, serve the dashboard (the control host)',
  details:
    'Logs each run that starts and ends, with its label and result. --read-only only browses: no Redis, no recorder or reaper, nothing written to the store, and the dashboard refuses changes (like `mlflow ui`). A busy --port or a --host that is not an address of this machine exits 2 with the flag named.',
  flags: [
    ...serveFlags,
    { name: 'read-only', description: 'browse the store only: no Redis, no writes, changes refused' },
  ],
  examples: ['ltlab serve', 'ltlab serve --read-only --database ./archive/ltlab.db --port 7421'],
  run: async (input) => (await import('../commands/serve.js')).serveCommand(input),
};
