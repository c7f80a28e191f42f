import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One runner for every project: each package and app is a Vitest project named after its
// package, so `vitest run --project @ltlab/core` (or `npx nx test core`) runs one of them.
const workspaceRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoots = ['packages', 'apps'].flatMap((group) => {
  const groupDir = join(workspaceRoot, group);
  if (!existsSync(groupDir)) return [];
  return readdirSync(groupDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(groupDir, entry.name, 'package.json')))
    .map((entry) => join(groupDir, entry.name));
});

function packageName(root: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const name = (manifest as { name?: unknown }).name;
  if (typeof name !== 'string') throw new Error(`${root}/package.json has no "name"`);
  return name;
}

export default defineConfig({
  resolve: { conditions: ['@ltlab/source'] },
  ssr: { resolve: { conditions: ['@ltlab/source'] } },
  test: {
    reporters: ['default', join(workspaceRoot, 'tools/vitest/summary-line-reporter.ts')],
    // CI's machine has run some steps three times slower than a quiet 2-core one (a lavapipe
    // step of 21 s here timed out at 60 s there): a limit for hung tests, not a speed check.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      ...projectRoots.map((root) => ({
        extends: true as const,
        test: { name: packageName(root), root, include: ['src/**/*.spec.ts', 'tests/**/*.spec.ts'] },
      })),
      {
        extends: true as const,
        test: { name: 'workspace-tools', root: join(workspaceRoot, 'tools'), include: ['**/*.spec.ts'] },
      },
    ],
  },
});
