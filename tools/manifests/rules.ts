/**
 * What the manifest check (check.ts) holds the workspace's package.json files to, as data.
 * Everything else it derives: the imports from the sources, the license, repository and engines
 * from the root package.json, the LICENSE text from the root LICENSE.
 */

/** The TF.js release the workspace builds and tests against (devDependencies pin it exactly). */
export const TFJS_VERSION = '4.22.0';

/**
 * The range a package asks of its user's TF.js. A peer, not a dependency: tfjs-core keeps its
 * backends and kernels in one global engine, so a second copy under a package would not see the
 * backend the user set.
 */
export const TFJS_PEER_RANGE = `^${TFJS_VERSION}`;

/**
 * Dependencies that shipped code needs although no import names them, with the reason. Keyed by
 * project folder. The check fails on an entry that is no longer declared, so the list stays true.
 */
export const UNSEEN_DEPENDENCIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  runtime: {
    webgpu: "Dawn's node binding, an optionalDependency loaded as import(WEBGPU_PACKAGE) (webgpu/webgpu-adapter.ts)",
  },
  store: {
    '@prisma/client': 'imported by the Prisma client that `npm run generate` writes to src/generated (not scanned)',
  },
};

/**
 * References in shipped code that are not dependencies, with the reason. Keyed by project folder.
 */
export const IGNORED_REFERENCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  datasets: {
    tsx: 'resolved only when the loader runs from TypeScript sources (tests, tsx), never from dist',
  },
};
