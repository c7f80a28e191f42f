import { redactUrl } from '@ltlab/core';
import { applyMigrations, migrationStatus, resolveDatabase } from '@ltlab/store';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';

const flagSchema = z.object({ status: z.boolean().default(false), json: z.boolean().default(false) });

/** `ltlab db migrate`: applies the committed migrations to DATABASE_URL (or the SQLite default). */
export async function dbCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(flagSchema, input);
  const out = createOutput(values.json);
  const target = resolveDatabase();
  if (values.status) {
    const status = await migrationStatus(target);
    if (out.json) out.data({ database: redactUrl(target.url), ...status });
    else
      out.print(
        `${redactUrl(target.url)}: ${status.pending.length === 0 ? 'up to date' : `pending ${status.pending.join(', ')}`}`,
      );
    return status.pending.length === 0 && status.failed.length === 0 ? EXIT.ok : EXIT.failed;
  }
  const applied = await applyMigrations(target);
  if (out.json) out.data({ database: redactUrl(target.url), applied });
  else
    out.print(
      applied.length === 0
        ? `${redactUrl(target.url)} is up to date.`
        : `Applied to ${redactUrl(target.url)}: ${applied.join(', ')}`,
    );
  return EXIT.ok;
}
