import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { IGNORED_REFERENCES, TFJS_PEER_RANGE, TFJS_VERSION, UNSEEN_DEPENDENCIES } from './rules.js';
import { type PackageReference, type ShippedManifest, shippedReferences } from './shipped-references.js';

export type ManifestRule =
  | 'undeclared'
  | 'dev-only'
  | 'unused'
  | 'stale-exception'
  | 'tensorflow'
  | 'unprovided-peer'
  | 'internal-range'
  | 'private-dependency'
  | 'license'
  | 'repository'
  | 'engines'
  | 'files';

export interface ManifestViolation {
  rule: ManifestRule;
  /** Path relative to the workspace root: the package.json, or the source file that imports. */
  file: string;
  line: number;
  message: string;
}

interface Manifest extends ShippedManifest {
  version?: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  engines?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Project {
  folder: string;
  /** `packages/losses`, relative to the workspace root. */
  dir: string;
  manifest: Manifest;
}

const TENSORFLOW_SCOPE = '@tensorflow/';
// The export conditions consumers resolve; `@ltlab/source` only exists inside this workspace.
const SHIPPED_CONDITIONS = ['types', 'import', 'require', 'default'];

/**
 * Checks every workspace package.json against what its shipped code imports (dependencies are
 * exactly those imports; TF.js is a peer), and each publishable (non-private) package against
 * what an install from npm needs: LICENSE, repository, engines, and `files` that cover its exports.
 */
export function checkManifests(root: string): ManifestViolation[] {
  const rootManifest = readJson<Manifest>(join(root, 'package.json'));
  const projects = discoverProjects(root);
  const byName = new Map(projects.flatMap((p) => (p.manifest.name === undefined ? [] : [[p.manifest.name, p]])));
  const violations: ManifestViolation[] = [];
  for (const project of projects) {
    const found = (rule: ManifestRule, message: string, file = 'package.json', line = 1): void => {
      violations.push({ rule, file: `${project.dir}/${file}`, line, message });
    };
    checkDependencies(project, shippedReferences(join(root, project.dir), project.manifest), byName, found);
    if (project.manifest.private !== true) {
      checkPublishable(root, project, rootManifest, byName, found);
    }
  }
  return violations;
}

type Found = (rule: ManifestRule, message: string, file?: string, line?: number) => void;

function checkDependencies(
  project: Project,
  references: PackageReference[],
  byName: Map<string, Project>,
  found: Found,
): void {
  const { manifest, folder } = project;
  const isPrivate = manifest.private === true;
  const runtime = {
    ...manifest.dependencies,
    ...manifest.optionalDependencies,
    ...manifest.peerDependencies,
  };
  const dev = manifest.devDependencies ?? {};
  const ignored = IGNORED_REFERENCES[folder] ?? {};
  const unseen = UNSEEN_DEPENDENCIES[folder] ?? {};
  // A private app is what gets deployed (`npm prune --omit=dev` in the images): it provides the
  // peers of the workspace packages it runs, since no one installs them on top of it.
  const peers = isPrivate ? peersOfWorkspaceDependencies(project, byName) : new Map<string, string>();
  const used = new Set<string>();
  for (const ref of references) {
    if (ignored[ref.name] !== undefined) continue;
    used.add(ref.name);
    if (runtime[ref.name] !== undefined) continue;
    if (dev[ref.name] !== undefined) {
      found(
        'dev-only',
        `shipped code imports '${ref.name}', which is only a devDependency: an install from npm will not have it.`,
        ref.file,
        ref.line,
      );
    } else {
      found(
        'undeclared',
        `shipped code imports '${ref.name}', which package.json does not declare.`,
        ref.file,
        ref.line,
      );
    }
  }
  for (const name of Object.keys(runtime)) {
    if (used.has(name) || peers.has(name) || unseen[name] !== undefined) continue;
    found(
      'unused',
      `'${name}' is a dependency, but no shipped code (src/ without specs and __fixtures__) imports it; ` +
        'drop it, or move it to devDependencies if only tests need it.',
    );
  }
  for (const [name, from] of peers) {
    if (manifest.dependencies?.[name] === undefined) {
      found(
        'unprovided-peer',
        `${from} has the peerDependency '${name}'; this private app runs it, so it must list '${name}' in dependencies.`,
      );
    }
  }
  for (const name of [...Object.keys(unseen), ...Object.keys(ignored)]) {
    const declared = runtime[name] !== undefined;
    const isUnseen = unseen[name] !== undefined;
    if (isUnseen && !declared) {
      found('stale-exception', `tools/manifests/rules.ts lists '${name}' for ${folder}, which no longer declares it.`);
    }
    if (!isUnseen && !references.some((ref) => ref.name === name)) {
      found(
        'stale-exception',
        `tools/manifests/rules.ts ignores '${name}' in ${folder}, whose code no longer uses it.`,
      );
    }
  }
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (name.startsWith(TENSORFLOW_SCOPE) && !isPrivate) {
      found(
        'tensorflow',
        `'${name}' is a dependency; make it a peerDependency (${TFJS_PEER_RANGE}) and a devDependency (${TFJS_VERSION}).`,
      );
    } else if (name.startsWith(TENSORFLOW_SCOPE) && range !== TFJS_VERSION) {
      found('tensorflow', `'${name}' is '${range}'; an app pins the workspace's TF.js, ${TFJS_VERSION}.`);
    }
    const target = byName.get(name);
    if (target !== undefined && !isPrivate && range !== `^${target.manifest.version}`) {
      found(
        'internal-range',
        `'${name}': '${range}' should be '^${target.manifest.version}': a caret range lets npm keep one copy ` +
          '(LtlabError is checked with instanceof), and it must match the workspace version for npm to link it.',
      );
    }
  }
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    if (!name.startsWith(TENSORFLOW_SCOPE)) continue;
    if (range !== TFJS_PEER_RANGE) {
      found('tensorflow', `peerDependency '${name}' is '${range}'; it should be '${TFJS_PEER_RANGE}'.`);
    }
    if (dev[name] !== TFJS_VERSION) {
      found('tensorflow', `'${name}' should also be a devDependency at exactly ${TFJS_VERSION} for the workspace.`);
    }
  }
}

/** Peer name → the workspace package asking for it, over every @ltlab package a project depends on. */
function peersOfWorkspaceDependencies(project: Project, byName: Map<string, Project>): Map<string, string> {
  const peers = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (manifest: Manifest): void => {
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const target = byName.get(name);
      if (target === undefined || seen.has(name)) continue;
      seen.add(name);
      // An optional peer (peerDependenciesMeta) is needed only by an entry the app may not load
      // (the TF.js entry of losses or backbones beside their TF-free schema entry): not provided.
      const optional = target.manifest.peerDependenciesMeta ?? {};
      for (const peer of Object.keys(target.manifest.peerDependencies ?? {})) {
        if (optional[peer]?.optional === true) continue;
        if (!peers.has(peer)) peers.set(peer, name);
      }
      visit(target.manifest);
    }
  };
  visit(project.manifest);
  return peers;
}

function checkPublishable(
  root: string,
  project: Project,
  rootManifest: Manifest,
  byName: Map<string, Project>,
  found: Found,
): void {
  const { manifest, dir } = project;
  const license = join(root, dir, 'LICENSE');
  const rootLicense = join(root, 'LICENSE');
  if (!existsSync(license)) {
    found('license', 'a publishable package needs a LICENSE file (copy the root LICENSE).', 'LICENSE');
  } else if (existsSync(rootLicense) && readFileSync(license, 'utf8') !== readFileSync(rootLicense, 'utf8')) {
    found('license', 'LICENSE differs from the root LICENSE.', 'LICENSE');
  }
  if (manifest.license !== rootManifest.license) {
    found('license', `"license" is ${JSON.stringify(manifest.license)}; the workspace's is "${rootManifest.license}".`);
  }
  const rootRepository = typeof rootManifest.repository === 'object' ? rootManifest.repository : undefined;
  const repository = typeof manifest.repository === 'object' ? manifest.repository : undefined;
  if (rootRepository?.url === undefined) {
    found('repository', 'the root package.json has no "repository.url" for the packages to point at.');
  } else if (repository?.type !== 'git' || repository.url !== rootRepository.url || repository.directory !== dir) {
    found(
      'repository',
      `"repository" should be { "type": "git", "url": "${rootRepository.url}", "directory": "${dir}" }.`,
    );
  }
  const node = rootManifest.engines?.node;
  if (manifest.engines?.node !== node) {
    found('engines', `"engines.node" should be "${node}", as the workspace requires.`);
  }
  checkFiles(project, found);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (byName.get(name)?.manifest.private === true) {
        found('private-dependency', `${field} names '${name}', which is private and never published.`);
      }
    }
  }
}

/** `files` ships the built exports and no sources, specs or fixtures. */
function checkFiles(project: Project, found: Found): void {
  const files = project.manifest.files;
  if (files === undefined || files.length === 0) {
    found('files', '"files" is missing: without it npm publishes the sources, specs and fixtures.');
    return;
  }
  const entries = files.map((entry) => normalize(entry.replace(/^\.\//, '')));
  for (const entry of entries) {
    if (entry === 'src' || entry.startsWith('src/') || /\.spec\.|__fixtures__/.test(entry)) {
      found('files', `"files" includes '${entry}': the package ships built dist/, not sources, specs or fixtures.`);
    }
  }
  for (const target of exportTargets(project.manifest.exports ?? {})) {
    const path = normalize(target.replace(/^\.\//, ''));
    if (!entries.some((entry) => path === entry || path.startsWith(`${entry}/`))) {
      found('files', `export target '${target}' is not under any "files" entry.`);
    }
  }
}

/** Every file an install resolves through `exports` (the workspace-only source condition aside). */
function exportTargets(exports: Record<string, unknown>): string[] {
  const targets: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key.startsWith('.') || SHIPPED_CONDITIONS.includes(key)) visit(inner);
      }
    }
  };
  visit(exports);
  return targets;
}

function discoverProjects(root: string): Project[] {
  const projects: Project[] = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      const manifestPath = join(groupDir, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
      projects.push({ folder: entry.name, dir: `${group}/${entry.name}`, manifest: readJson<Manifest>(manifestPath) });
    }
  }
  return projects.sort((a, b) => a.dir.localeCompare(b.dir));
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
