import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the Prisma schema and each provider's migrations are, seen from a module of this package
 * (in src/ or dist/, so both are one folder below the package):
 * - a packed @ltlab/store carries its own copy in `<package>/prisma/` (tools/pack copies it in,
 *   as npm installs nothing outside the package folder);
 * - in the repository the one copy is the top-level `prisma/` (docs/architecture.md §6), two
 *   folders above the package.
 * The packed copy is looked for first: from an installed package, two folders up is another
 * package's folder under node_modules. Undefined when neither holds `models.prisma`. It imports
 * only Node, so tools/pack can run it from an unpacked tarball.
 */
export function findPrismaFolder(moduleUrl: string | URL = import.meta.url): string | undefined {
  for (const relative of ['../prisma/', '../../../prisma/']) {
    const folder = new URL(relative, moduleUrl);
    if (existsSync(new URL('models.prisma', folder))) return fileURLToPath(folder);
  }
  return undefined;
}
