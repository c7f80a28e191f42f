#!/usr/bin/env node
// Builds the native backend's N-API addon (native/build/ltlab_native.node) against the system's
// oneDNN 2.x with g++, offline: the N-API headers come from npm packages, not from a download.
//
//   node native/build.mjs             build (or skip when up to date); fail with the reason
//   node native/build.mjs --optional  the install step: on a machine without oneDNN or a compiler,
//                                     say how to get them and exit 0 (the runtime falls back to wasm)
//   node native/build.mjs --force     rebuild even when up to date
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = join(here, 'src');
const buildDir = join(here, 'build');
const output = join(buildDir, 'ltlab_native.node');
const stampFile = join(buildDir, 'stamp.json');
const optional = process.argv.includes('--optional');
const force = process.argv.includes('--force');

const INSTALL_HINT = 'apt-get install libdnnl-dev build-essential (Debian/Ubuntu: oneDNN 2.x and g++)';

function fail(reason) {
  if (optional) {
    console.warn(`[@ltlab/runtime] native backend not built: ${reason}`);
    console.warn(`[@ltlab/runtime] training falls back to wasm. For the native backend: ${INSTALL_HINT}, then`);
    console.warn(`[@ltlab/runtime]   node ${join(here, 'build.mjs')}`);
    process.exit(0);
  }
  console.error(`native backend build failed: ${reason}\nInstall: ${INSTALL_HINT}`);
  process.exit(1);
}

/** The directory holding oneapi/dnnl/dnnl_version.h: DNNL_ROOT first, then the usual prefixes. */
function findOneDnn() {
  const roots = [process.env.DNNL_ROOT, '/usr', '/usr/local', '/opt/intel/oneapi/dnnl/latest'].filter(Boolean);
  for (const root of roots) {
    const include = join(root, 'include');
    const versionHeader = join(include, 'oneapi/dnnl/dnnl_version.h');
    if (!existsSync(versionHeader)) continue;
    const text = readFileSync(versionHeader, 'utf8');
    const part = (name) => text.match(new RegExp(`#define\\s+DNNL_VERSION_${name}\\s+(\\d+)`))?.[1];
    const version = `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
    const libDirs = [
      join(root, 'lib/x86_64-linux-gnu'),
      join(root, 'lib/aarch64-linux-gnu'),
      join(root, 'lib'),
      join(root, 'lib64'),
    ];
    const libDir = libDirs.find((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('libdnnl.so')));
    return { include, libDir, version, major: Number(part('MAJOR')) };
  }
  return undefined;
}

function hasCompiler() {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}\n${stderr}`))));
  });
}

const onednn = findOneDnn();
if (onednn === undefined)
  fail('oneDNN headers (oneapi/dnnl/dnnl_version.h) not found; set DNNL_ROOT if it lives elsewhere');
if (onednn.major !== 2) fail(`oneDNN ${onednn.version} found; this backend needs oneDNN 2.x (Debian bookworm: 2.6)`);
if (onednn.libDir === undefined) fail(`libdnnl.so not found beside ${onednn.include}`);
if (!hasCompiler()) fail('g++ not found');

const require = createRequire(import.meta.url);
const napiInclude = dirname(require.resolve('node-api-headers/include/node_api.h'));
const addonApiInclude = dirname(require.resolve('node-addon-api/napi.h'));

const sources = readdirSync(sourceDir)
  .filter((f) => f.endsWith('.cc'))
  .sort();
const flags = [
  '-std=c++17',
  '-O3',
  '-fPIC',
  '-fopenmp',
  '-fvisibility=hidden',
  '-DNAPI_VERSION=8',
  '-DNAPI_CPP_EXCEPTIONS',
  '-DNODE_ADDON_API_DISABLE_DEPRECATED',
  `-I${napiInclude}`,
  `-I${addonApiInclude}`,
  `-I${onednn.include}`,
];
const hash = createHash('sha256');
hash.update(JSON.stringify({ flags, version: onednn.version, node: process.versions.modules }));
for (const file of [...sources, 'common.h']) hash.update(file).update(readFileSync(join(sourceDir, file)));
const stamp = hash.digest('hex');
if (!force && existsSync(output) && existsSync(stampFile)) {
  if (JSON.parse(readFileSync(stampFile, 'utf8')).stamp === stamp) {
    console.log(`[@ltlab/runtime] native backend up to date (${output})`);
    process.exit(0);
  }
}

mkdirSync(buildDir, { recursive: true });
const started = Date.now();
console.log(
  `[@ltlab/runtime] building the native backend against oneDNN ${onednn.version} (${sources.length} files)...`,
);
try {
  const queue = [...sources];
  const objects = sources.map((f) => join(buildDir, f.replace(/\.cc$/, '.o')));
  const workers = Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      await run('g++', [...flags, '-c', join(sourceDir, file), '-o', join(buildDir, file.replace(/\.cc$/, '.o'))]);
    }
  });
  await Promise.all(workers);
  const partial = `${output}.${process.pid}.tmp`;
  await run('g++', ['-shared', '-fopenmp', '-o', partial, ...objects, `-L${onednn.libDir}`, '-ldnnl']);
  renameSync(partial, output);
  for (const object of objects) rmSync(object, { force: true });
  writeFileSync(stampFile, `${JSON.stringify({ stamp, onednn: onednn.version }, null, 2)}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
console.log(`[@ltlab/runtime] native backend built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${output}`);
