import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Provenance } from '@ltlab/config';
import * as tf from '@tensorflow/tfjs-core';

/** This package's root: `src/engine/` and `dist/engine/` both sit two folders below it. */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface PackageJson {
  name?: unknown;
  version?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackageJson(path: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

/**
 * The package.json of `name` as Node finds it from `from`: the nearest `node_modules/<name>`
 * upward (a workspace link or an installed copy). Read from disk, not imported: a package's
 * `exports` need not publish its package.json.
 */
function findPackageJson(name: string, from: string): PackageJson | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return readPackageJson(candidate);
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

let packageVersions: Record<string, string> | undefined;

/**
 * `@ltlab/train` and every `@ltlab/*` and `@tensorflow/*` package it depends on, with the version
 * each installed package.json states (read once per process).
 */
export function ltlabPackageVersions(): Record<string, string> {
  if (packageVersions !== undefined) return packageVersions;
  const own = readPackageJson(join(PACKAGE_ROOT, 'package.json'));
  const versions: Record<string, string> = {};
  if (typeof own?.name === 'string' && typeof own.version === 'string') versions[own.name] = own.version;
  const names = Object.keys({ ...own?.dependencies, ...own?.peerDependencies })
    .filter((name) => name.startsWith('@ltlab/') || name.startsWith('@tensorflow/'))
    .sort();
  for (const name of names) {
    const found = findPackageJson(name, PACKAGE_ROOT);
    if (typeof found?.version === 'string') versions[name] = found.version;
  }
  packageVersions = versions;
  return versions;
}

/**
 * What this trainer runs on, for its `started` event (docs/architecture.md §5.4): package and
 * TF.js versions, the active backend, the device the runtime reported (null when unknown; the
 * trainer child fills it from `initRuntime`), Node's version and the platform.
 */
export function runProvenance(device: string | null = null): Provenance {
  return {
    packages: ltlabPackageVersions(),
    tfjs: tf.version_core,
    backend: tf.getBackend(),
    device,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
