import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';
import { findImports, type ImportSite } from './imports.js';
import { ALLOWED_IMPORTS, TENSORFLOW_FREE, TENSORFLOW_SCOPE, TEST_ONLY, WORKSPACE_SCOPE } from './rules.js';

export type ViolationRule = 'layer' | 'tensorflow' | 'undeclared' | 'deep-import' | 'escape' | 'unknown-project';

export interface Violation {
  rule: ViolationRule;
  /** Path relative to the workspace root. */
  file: string;
  line: number;
  message: string;
}

export interface CheckOptions {
  /** Extra or replaced files (workspace-relative path → content), checked as if on disk. */
  overlay?: Readonly<Record<string, string>>;
}

interface Manifest {
  name?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Project {
  folder: string;
  dir: string;
  manifest: Manifest;
  declared: Set<string>;
}

const SOURCE_DIRS = ['src', 'tests'];
const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '__fixtures__', 'generated']);

/** Checks every import of every workspace project against the layer rules. */
export function checkLayers(root: string, options: CheckOptions = {}): Violation[] {
  const overlay = options.overlay ?? {};
  const projects = discoverProjects(root);
  const byName = new Map(projects.flatMap((p) => (p.manifest.name === undefined ? [] : [[p.manifest.name, p]])));
  const files = collectFiles(root, projects, overlay);
  const rootManifest = readJson<Manifest>(join(root, 'package.json'));
  const rootDevDeps = new Set(Object.keys(rootManifest.devDependencies ?? {}));
  const importsOf = memo((file: string) => findImports(file, files.get(file) ?? ''));
  const loadsTf = tensorflowClosure(files, importsOf, byName);

  const violations: Violation[] = [];
  for (const project of projects) {
    const allowed = ALLOWED_IMPORTS[project.folder];
    if (allowed === undefined) {
      violations.push({
        rule: 'unknown-project',
        file: `${project.dir}/package.json`,
        line: 1,
        message: `Project '${project.folder}' has no entry in tools/layers/rules.ts; add its allowed imports there.`,
      });
      continue;
    }
    const tfFree = TENSORFLOW_FREE.includes(project.folder);
    for (const file of files.keys()) {
      if (!file.startsWith(`${project.dir}/`)) continue;
      const isTest = /\.spec\.tsx?$/.test(file) || file.startsWith(`${project.dir}/tests/`);
      for (const site of importsOf(file)) {
        const found = (rule: ViolationRule, message: string): void => {
          violations.push({ rule, file, line: site.line, message });
        };
        const spec = site.specifier;
        if (spec.startsWith('.')) {
          const target = normalize(join(dirname(file), spec));
          if (!target.startsWith(`${project.dir}/`)) {
            found('escape', `'${spec}' reaches outside ${project.dir}; import the other package by its name.`);
          }
          continue;
        }
        if (spec.startsWith('node:') || isBuiltin(spec)) continue;
        const pkg = packageNameOf(spec);
        if (!project.declared.has(pkg) && !(isTest && rootDevDeps.has(pkg)) && pkg !== project.manifest.name) {
          found('undeclared', `'${pkg}' is imported but not declared in ${project.dir}/package.json.`);
        }
        if (spec.startsWith(TENSORFLOW_SCOPE) && tfFree) {
          found('tensorflow', `${project.folder} is control plane and must not import '${spec}'.`);
          continue;
        }
        if (!spec.startsWith(WORKSPACE_SCOPE)) continue;
        const target = byName.get(pkg);
        if (target === undefined) {
          found('layer', `'${pkg}' is not a workspace package.`);
          continue;
        }
        const testData = TEST_ONLY.includes(target.folder);
        if (testData && !isTest) {
          found('layer', `${target.folder} is test data: only tests may import ${pkg}.`);
          continue;
        }
        if (target !== project && !testData && !allowed.includes(target.folder)) {
          found(
            'layer',
            `${project.folder} may not import ${target.folder} (allowed: ${allowed.join(', ') || 'none'}); see docs/architecture.md §2.`,
          );
        }
        const entry = entryFile(target, spec.slice(pkg.length));
        if (entry === undefined) {
          found('deep-import', `'${spec}' is not an entry point of ${pkg}; import from its public index.`);
          continue;
        }
        if (tfFree && !site.dynamic && !site.typeOnly && loadsTf(entry)) {
          found(
            'tensorflow',
            `${project.folder} is control plane; '${spec}' loads TensorFlow.js. Use a dynamic import() where training starts.`,
          );
        }
      }
    }
  }
  return violations;
}

function discoverProjects(root: string): Project[] {
  const projects: Project[] = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      const manifestPath = join(groupDir, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
      const manifest = readJson<Manifest>(manifestPath);
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
        ...Object.keys(manifest.devDependencies ?? {}),
      ]);
      projects.push({ folder: entry.name, dir: `${group}/${entry.name}`, manifest, declared });
    }
  }
  return projects;
}

function collectFiles(
  root: string,
  projects: Project[],
  overlay: Readonly<Record<string, string>>,
): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.set(relative(root, full), readFileSync(full, 'utf8'));
      }
    }
  };
  for (const project of projects) for (const sub of SOURCE_DIRS) walk(join(root, project.dir, sub));
  for (const [file, text] of Object.entries(overlay)) files.set(normalize(file), text);
  return files;
}

/** The source file behind `@ltlab/x` + subpath, via the `@ltlab/source` export condition. */
function entryFile(project: Project, subpath: string): string | undefined {
  const key = subpath === '' ? '.' : `.${subpath}`;
  const target = project.manifest.exports?.[key];
  const source =
    typeof target === 'string' ? target : (target as Record<string, unknown> | undefined)?.['@ltlab/source'];
  return typeof source === 'string' ? normalize(join(project.dir, source)) : undefined;
}

/** Whether a file, through its static runtime imports, ends up loading `@tensorflow/*`. */
function tensorflowClosure(
  files: Map<string, string>,
  importsOf: (file: string) => ImportSite[],
  byName: Map<string, Project>,
): (file: string) => boolean {
  const known = new Map<string, boolean>();
  const visit = (file: string): boolean => {
    const cached = known.get(file);
    if (cached !== undefined) return cached;
    known.set(file, false); // cycles: assume no until proven otherwise
    let loads = false;
    for (const site of importsOf(file)) {
      if (site.dynamic || site.typeOnly) continue;
      const spec = site.specifier;
      let next: string | undefined;
      if (spec.startsWith(TENSORFLOW_SCOPE)) loads = true;
      else if (spec.startsWith('.')) next = resolveRelative(files, normalize(join(dirname(file), spec)));
      else if (spec.startsWith(WORKSPACE_SCOPE)) {
        const pkg = packageNameOf(spec);
        const target = byName.get(pkg);
        next = target === undefined ? undefined : entryFile(target, spec.slice(pkg.length));
      }
      if (next !== undefined && visit(next)) loads = true;
      if (loads) break;
    }
    known.set(file, loads);
    return loads;
  };
  return visit;
}

function resolveRelative(files: Map<string, string>, target: string): string | undefined {
  const stem = target.replace(/\.(js|mjs|cjs|ts|tsx)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`, target]) {
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function memo<T>(fn: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
