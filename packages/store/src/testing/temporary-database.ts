import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { DatabaseProvider, DatabaseTarget } from '../database-url.js';
import { applyMigrations } from '../migrations.js';

export interface TemporaryDatabase {
  target: DatabaseTarget;
  /** Removes the database (PostgreSQL: DROP DATABASE ... WITH (FORCE); SQLite: its directory). */
  drop(): Promise<void>;
}

/** The server tests and benchmarks create their databases on. */
export function testPostgresUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.LTLAB_TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';
}

/**
 * A fresh, empty database for a test or a benchmark: a SQLite file in a temp directory, or a new
 * database on the test PostgreSQL server. `migrate` applies the committed migrations.
 */
export async function createTemporaryDatabase(
  provider: DatabaseProvider,
  options: { label?: string; migrate?: boolean } = {},
): Promise<TemporaryDatabase> {
  const label = (options.label ?? 'test').replace(/\W/g, '_');
  let database: TemporaryDatabase;
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `ltlab-${label}-`));
    database = {
      target: { provider, url: `file:${join(dir, 'ltlab.db')}` },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  } else {
    const name = `ltlab_${label}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const admin = await new PrismaPg({ connectionString: testPostgresUrl() }).connect();
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const url = new URL(testPostgresUrl());
    url.pathname = `/${name}`;
    database = {
      target: { provider, url: url.toString() },
      drop: async () => {
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.dispose();
      },
    };
  }
  if (options.migrate === true) await applyMigrations(database.target);
  return database;
}
