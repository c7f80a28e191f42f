import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A workspace package, as far as building and packing it goes. */
export interface WorkspacePackage {
  name: string;
  /** Absolute path of its folder. */
  dir: string;
  dependencies: Record<string, string>;
  exports: Record<string, unknown>;
}

export interface PackedPackage {
  name: string;
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Paths inside the tarball, relative to its package/ folder. */
  files: string[];
}

/** `name` and every @ltlab package it depends on, transitively, dependencies first. */
export function withWorkspaceDependencies(root: string, name: string): WorkspacePackage[] {
  const all = new Map<string, WorkspacePackage>();
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      const manifestPath = join(root, group, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<WorkspacePackage>;
      if (manifest.name === undefined) continue;
      all.set(manifest.name, {
        name: manifest.name,
        dir: join(root, group, entry.name),
        dependencies: manifest.dependencies ?? {},
        exports: manifest.exports ?? {},
      });
    }
  }
  const ordered: WorkspacePackage[] = [];
  const visit = (current: string): void => {
    const pkg = all.get(current);
    if (pkg === undefined) throw new Error(`${current} is not a workspace package`);
    if (ordered.includes(pkg)) return;
    for (const dep of Object.keys(pkg.dependencies)) if (all.has(dep)) visit(dep);
    ordered.push(pkg);
  };
  visit(name);
  return ordered;
}

/**
 * Folders at the repository root that a package ships as its own, copied into its stage before
 * packing (its `files` names them). npm installs only the package folder, and the Prisma schema and
 * migrations live in the top-level prisma/ (docs/architecture.md §6), which @ltlab/store reads from
 * its own prisma/ once packed (packages/store/src/schema-location.ts).
 */
export const ROOT_FOLDERS_SHIPPED: Readonly<Record<string, readonly string[]>> = { '@ltlab/store': ['prisma'] };

/**
 * Builds each package into a copy of its folder under `workDir` (so the repository gets no dist/)
 * and packs that copy with `npm pack`. The copy holds everything but node_modules and dist, plus
 * the root folders of ROOT_FOLDERS_SHIPPED, so `files` alone decides what the tarball leaves out.
 * `packages` must list dependencies first: each compiles against the .d.ts files built for the
 * ones before it.
 */
export function buildAndPack(root: string, packages: WorkspacePackage[], workDir: string): PackedPackage[] {
  const staged = new Map<string, string>();
  const tarballs = join(workDir, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  return packages.map((pkg) => {
    const stage = join(workDir, 'stage', pkg.name);
    cpSync(pkg.dir, stage, {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|dist)$/.test(source),
    });
    for (const folder of ROOT_FOLDERS_SHIPPED[pkg.name] ?? []) {
      const source = join(root, folder);
      if (!existsSync(source)) throw new Error(`${pkg.name} ships ${folder}/ of the repository root, which is missing`);
      cpSync(source, join(stage, folder), { recursive: true });
    }
    compile(root, pkg, stage, staged, workDir);
    staged.set(pkg.name, stage);
    const output = execFileSync('npm', ['pack', stage, '--json', '--pack-destination', tarballs], {
      cwd: workDir,
      env: npmEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [result] = JSON.parse(output) as { filename: string; files: { path: string }[] }[];
    if (result === undefined) throw new Error(`npm pack printed no result for ${pkg.name}`);
    return { name: pkg.name, tarball: join(tarballs, result.filename), files: result.files.map((f) => f.path) };
  });
}

/** tsc with the package's own tsconfig.lib.json, its output and its @ltlab imports redirected. */
function compile(
  root: string,
  pkg: WorkspacePackage,
  stage: string,
  staged: Map<string, string>,
  workDir: string,
): void {
  const paths: Record<string, string[]> = {};
  for (const dep of Object.keys(pkg.dependencies)) {
    const depStage = staged.get(dep);
    if (depStage === undefined) continue;
    for (const [subpath, types] of typesEntries(exportsOf(depStage))) {
      paths[`${dep}${subpath.slice(1)}`] = [join(depStage, types)];
    }
  }
  const config = join(workDir, `tsconfig.${pkg.name.replace(/[@/]/g, '_')}.json`);
  // noCheck: the same emit without type-checking, which `npm run typecheck` does; it saves a third
  // of this test's compile time.
  const compilerOptions = {
    outDir: join(stage, 'dist'),
    typeRoots: [join(root, 'node_modules/@types')],
    paths,
    noCheck: true,
  };
  writeFileSync(config, JSON.stringify({ extends: join(pkg.dir, 'tsconfig.lib.json'), compilerOptions }));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], {
    cwd: workDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exportsOf(dir: string): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
  return manifest.exports ?? {};
}

/** [subpath, .d.ts path] for each export with a `types` condition. */
function typesEntries(exports: Record<string, unknown>): [string, string][] {
  return Object.entries(exports).flatMap(([subpath, target]) => {
    const types = (target as Record<string, unknown> | null)?.types;
    return typeof types === 'string' ? [[subpath, types] as [string, string]] : [];
  });
}

/**
 * The environment for a child npm. Under `npm test`, npm exports its own run's settings
 * (npm_package_*, npm_lifecycle_*, npm_config_local_prefix) that would point the child back at
 * this workspace; the user's npm configuration (cache, registry, certificates) is kept.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_(package_|lifecycle_|config_local_prefix$)/i.test(key) && key !== 'INIT_CWD',
    ),
  );
}
