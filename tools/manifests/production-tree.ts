import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface PackageManifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * Every package a production install of the workspace package `name` brings in, as npm 7+
 * decides it: dependencies, optional dependencies and the peers that are not marked optional
 * (npm installs those too), followed transitively. Read from the package.json files on disk, so
 * it sees what `npm ls` hides in a workspace (a peer that is also a devDependency of its package).
 * Maps each reached package to the chain that reached it.
 */
export function productionTree(root: string, name: string): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const visit = (pkg: string, fromDir: string, chain: string[]): void => {
    if (reached.has(pkg)) return;
    const dir = packageDir(pkg, fromDir, root);
    if (dir === undefined) return; // an optional dependency that is not installed here
    reached.set(pkg, chain);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const requiredPeers = Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !optionalPeers[peer]?.optional);
    const next = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...requiredPeers,
    ];
    for (const dep of next) visit(dep, dir, [...chain, dep]);
  };
  visit(name, root, [name]);
  return reached;
}

/** Where Node would find `pkg` from `fromDir`: the nearest node_modules folder up to the root. */
function packageDir(pkg: string, fromDir: string, root: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', pkg);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

/** The names in `npm ls --omit=dev --all --json` of one workspace package. */
export function npmLsProductionNames(root: string, name: string): Set<string> {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '-w', name], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const names = new Set<string>();
  const walk = (deps: Record<string, { dependencies?: Record<string, unknown> }> | undefined): void => {
    for (const [dep, node] of Object.entries(deps ?? {})) {
      names.add(dep);
      walk(node.dependencies as Record<string, { dependencies?: Record<string, unknown> }> | undefined);
    }
  };
  walk((JSON.parse(out) as { dependencies?: Record<string, { dependencies?: Record<string, unknown> }> }).dependencies);
  return names;
}
