import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type { DatabaseTarget } from './database-url.js';
import { postgresPoolConfig } from './postgres-connection.js';

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a JS driver adapter. It runs
 * migrations with Prisma's own bookkeeping (`_prisma_migrations`, same checksums), so machines
 * with the native engine can keep using `prisma migrate deploy|status` on the same database.
 */
export interface OpenedSchemaEngine {
  engine: SchemaEngine;
  close(): Promise<void>;
}

type WasmExports = Record<string, unknown> & { __wbindgen_start: () => void };
type WasmBindings = typeof import('@prisma/schema-engine-wasm') & { __wbg_set_wasm(exports: WasmExports): void };
/** The WebAssembly global of Node, typed for the one call used here (lib.dom is not loaded). */
const wasmRuntime = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: WasmExports } }> };
  }
).WebAssembly;

let bindings: Promise<WasmBindings> | undefined;

/** The package's entry imports the .wasm as an ES module (a bundler feature); Node needs it loaded by hand. */
function loadBindings(): Promise<WasmBindings> {
  bindings ??= (async () => {
    const dir = dirname(fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm')));
    const glue = (await import(pathToFileURL(join(dir, 'schema_engine_bg.js')).href)) as WasmBindings;
    const bytes = await readFile(join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await wasmRuntime.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return glue;
  })();
  return bindings;
}

export function createAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === 'postgresql') return new PrismaPg(postgresPoolConfig(target));
  return new PrismaBetterSqlite3({ url: target.url, timeout: 15_000 });
}

export async function openSchemaEngine(target: DatabaseTarget, schema: string): Promise<OpenedSchemaEngine> {
  const glue = await loadBindings();
  const factory = createAdapterFactory(target);
  // The engine opens connections through the factory but never closes them; track them so a
  // SQLite file is not left locked and a PostgreSQL pool does not keep the process alive.
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => remember(opened, await factory.connect()),
    connectToShadowDb: async () => remember(opened, await factory.connectToShadowDb()),
  };
  const engine = await glue.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  return {
    engine,
    async close() {
      engine.free();
      for (const adapter of opened.splice(0)) await adapter.dispose();
    },
  };
}

function remember(opened: SqlDriverAdapter[], adapter: SqlDriverAdapter): SqlDriverAdapter {
  opened.push(adapter);
  return adapter;
}
