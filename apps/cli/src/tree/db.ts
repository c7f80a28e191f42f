import type { GroupSpec } from '../command-spec.js';
import { jsonFlag } from './flags.js';

export const dbSpec: GroupSpec = {
  name: 'db',
  summary: 'apply database migrations (DATABASE_URL, else SQLite in $LTLAB_HOME)',
  commands: [
    {
      name: 'migrate',
      summary: 'apply database migrations (DATABASE_URL, else SQLite in $LTLAB_HOME)',
      details: 'Offline: the committed migrations ship with ltlab. --status exits 1 when some are pending.',
      flags: [{ name: 'status', description: 'only report which migrations are pending' }, jsonFlag],
      examples: ['ltlab db migrate', 'DATABASE_URL=postgresql://ltlab@db/ltlab ltlab db migrate --status'],
      run: async (input) => (await import('../commands/db.js')).dbCommand(input),
    },
  ],
};
