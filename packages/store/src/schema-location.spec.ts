import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDirectory, schemaPath } from './migrations.js';
import { findPrismaFolder } from './schema-location.js';

describe('findPrismaFolder', () => {
  const work = mkdtempSync(join(tmpdir(), 'ltlab-schema-location-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A module URL inside `layout/<module>`, with models.prisma written into each of `prismaFolders`. */
  function layout(name: string, module: string, prismaFolders: string[]): URL {
    const base = join(work, name);
    for (const folder of prismaFolders) {
      mkdirSync(join(base, folder), { recursive: true });
      writeFileSync(join(base, folder, 'models.prisma'), '');
    }
    return pathToFileURL(join(base, module));
  }

  it('reads the top-level prisma/ of the repository from src/ and from a built dist/', () => {
    const src = layout('repo', 'packages/store/src/migrations.ts', ['prisma']);
    expect(findPrismaFolder(src)).toBe(join(work, 'repo/prisma/'));
    const dist = layout('repo', 'packages/store/dist/migrations.js', []);
    expect(findPrismaFolder(dist)).toBe(join(work, 'repo/prisma/'));
  });

  it('prefers the copy a packed package carries over a prisma/ two folders up', () => {
    // node_modules/prisma (the Prisma CLI) sits two folders above an installed @ltlab/store.
    const installedPackage = 'node_modules/@ltlab/store';
    const installed = layout('consumer', `${installedPackage}/dist/migrations.js`, [
      join(installedPackage, 'prisma'),
      'node_modules/prisma',
    ]);
    expect(findPrismaFolder(installed)).toBe(join(work, 'consumer', installedPackage, 'prisma/'));
  });

  it('finds nothing where neither folder holds models.prisma', () => {
    mkdirSync(join(work, 'empty/prisma/sqlite'), { recursive: true });
    // Both candidate folders exist, but without models.prisma.
    const packageDir = join(work, 'empty/packages/store');
    mkdirSync(join(packageDir, 'prisma'), { recursive: true });
    expect(findPrismaFolder(pathToFileURL(join(packageDir, 'dist/migrations.js')))).toBeUndefined();
  });

  it('gives this workspace the repository root prisma/, which migrations read', () => {
    const root = fileURLToPath(new URL('../../../prisma/', import.meta.url));
    expect(findPrismaFolder()).toBe(root);
    expect(schemaPath('sqlite')).toBe(join(root, 'sqlite/schema.prisma'));
    expect(migrationsDirectory('postgresql')).toBe(join(root, 'postgresql/migrations'));
  });
});
