/**
 * Creates the next migration for every provider from the top-level prisma/models.prisma, offline, with the
 * wasm schema engine (the native `prisma migrate dev` does the same where its engine exists).
 * Usage: npm run migration:new -w @ltlab/store -- <name>
 *   SQLite diffs against an in-memory shadow database; PostgreSQL needs a server to create its
 *   shadow database on: LTLAB_SHADOW_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseProvider, DatabaseTarget } from '../src/database-url.js';
import { loadMigrationList, migrationsDirectory, schemaPath } from '../src/migrations.js';
import { openSchemaEngine } from '../src/schema-engine.js';

const name = process.argv[2];
if (name === undefined || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: tsx scripts/new-migration.ts <name>   (lower-case letters, digits, _)');
  process.exit(2);
}

const shadowTargets: Record<DatabaseProvider, DatabaseTarget> = {
  sqlite: { provider: 'sqlite', url: 'file::memory:' },
  postgresql: {
    provider: 'postgresql',
    url: process.env.LTLAB_SHADOW_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  },
};

for (const provider of ['sqlite', 'postgresql'] as const) {
  const schema = readFileSync(schemaPath(provider), 'utf8');
  const migrationsList = await loadMigrationList(provider);
  const opened = await openSchemaEngine(shadowTargets[provider], schema);
  try {
    const from =
      migrationsList.migrationDirectories.length === 0
        ? ({ tag: 'empty' } as const)
        : ({ tag: 'migrations', ...migrationsList } as const);
    const diff = await opened.engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath(provider), content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = diff.stdout ?? '';
    if (script.trim() === '' || /^-- This is an empty migration/.test(script.trim())) {
      console.log(`${provider}: no changes.`);
      continue;
    }
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const dir = join(migrationsDirectory(provider), `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), script);
    console.log(`${provider}: wrote ${dir}/migration.sql`);
  } finally {
    await opened.close();
  }
}
