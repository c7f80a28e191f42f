import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndPack, type PackedPackage, withWorkspaceDependencies } from './pack-packages.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every file under `dir`, as paths relative to it with `/` separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

// The Prisma schema and migrations live in the repository's top-level prisma/ (docs/architecture.md
// §6); npm installs only the package folder, so the packed @ltlab/store must carry its own copy.
describe('@ltlab/store packed as npm would publish it', () => {
  const work = mkdtempSync(join(tmpdir(), 'ltlab-pack-store-'));
  const unpacked = join(work, 'unpacked');
  let store: PackedPackage;

  beforeAll(() => {
    const packed = buildAndPack(root, withWorkspaceDependencies(root, '@ltlab/store'), work);
    const last = packed.at(-1);
    if (last?.name !== '@ltlab/store') throw new Error('the store was not packed last');
    store = last;
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', store.tarball, '-C', unpacked], { stdio: 'ignore' });
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships every file of the top-level prisma/, unchanged, under prisma/', () => {
    const schemaFiles = filesUnder(join(root, 'prisma'));
    expect(schemaFiles).toEqual(
      expect.arrayContaining([
        'models.prisma',
        'sqlite/schema.prisma',
        'sqlite/migrations/migration_lock.toml',
        'postgresql/schema.prisma',
        'postgresql/migrations/migration_lock.toml',
      ]),
    );
    expect(store.files.filter((file) => file.startsWith('prisma/')).sort()).toEqual(
      schemaFiles.map((file) => `prisma/${file}`),
    );
    for (const file of schemaFiles) {
      expect(readFileSync(join(unpacked, 'package/prisma', file), 'utf8')).toBe(
        readFileSync(join(root, 'prisma', file), 'utf8'),
      );
    }
  });

  it('reads the schema from its own prisma/ once installed', async () => {
    const location = pathToFileURL(join(unpacked, 'package/dist/schema-location.js')).href;
    const { findPrismaFolder } = (await import(location)) as {
      findPrismaFolder(moduleUrl?: string | URL): string | undefined;
    };
    expect(findPrismaFolder()).toBe(join(unpacked, 'package/prisma/'));
  });
});
