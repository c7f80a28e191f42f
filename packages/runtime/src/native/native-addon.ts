import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LtlabError } from '@ltlab/core';

/** The functions of the N-API addon (native/src/*.cc); every array is worked on in place. */
export interface NativeAddon {
  setThreads(threads: number): void;
  info(): { onednn: string; cpuIsa: number; threads: number; cachedPrimitives: number; cacheCapacityPerFamily: number };
  clearCaches(): void;
  conv2d(
    kind: 0 | 1 | 2,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    shape: Int32Array,
    bias: Float32Array | null,
    activation: 0 | 1,
  ): void;
  matMul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    params: Int32Array,
    bias: Float32Array | null,
    activation: 0 | 1,
  ): void;
  batchNorm(kind: 0 | 1 | 2, dims: Int32Array, epsilon: number, ...arrays: Float32Array[]): void;
  pool2d(kind: 0 | 1, shape: Int32Array, a: Float32Array, b: Float32Array | null, out: Float32Array): void;
  binary(
    op: number,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    shape: Int32Array,
    aStrides: Int32Array,
    bStrides: Int32Array,
  ): void;
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  addN(out: Float32Array, ...inputs: Float32Array[]): void;
  reduce(op: number, x: Float32Array, out: Float32Array, dims: Int32Array): void;
  copyBox(src: Float32Array, dst: Float32Array, params: Int32Array, fill: number | null): void;
  sgdUpdate(
    param: Float32Array,
    grad: Float32Array,
    buffer: Float32Array | null,
    paramOut: Float32Array,
    bufferOut: Float32Array | null,
    lr: number,
    momentum: number,
    weightDecay: number,
    nesterov: boolean,
  ): void;
  movingAverage(
    running: Float32Array,
    value: Float32Array,
    out: Float32Array,
    keep: number,
    take: number,
    scale: number,
  ): void;
}

const BUILD_SCRIPT = fileURLToPath(new URL('../../native/build.mjs', import.meta.url));
const ADDON_FILE = fileURLToPath(new URL('../../native/build/ltlab_native.node', import.meta.url));

/** What a user runs to get the native backend on Debian/Ubuntu. */
export const NATIVE_INSTALL_HINT = `apt-get install libdnnl-dev build-essential && node ${BUILD_SCRIPT}`;

let loaded: NativeAddon | undefined;

/**
 * The addon, loaded once per process. Missing (no oneDNN or compiler at install) or unloadable, it
 * is a RUNTIME.BACKEND_UNAVAILABLE error that names the command that builds it.
 */
export function loadNativeAddon(): NativeAddon {
  if (loaded !== undefined) return loaded;
  // LTLAB_NATIVE_ADDON points at another build (or, in tests, at none).
  const file = process.env.LTLAB_NATIVE_ADDON || ADDON_FILE;
  if (!existsSync(file)) {
    throw new LtlabError('RUNTIME.BACKEND_UNAVAILABLE', `The native backend is not built (${file} is missing).`, {
      fix: `Install oneDNN 2.x and a compiler, then build it: ${NATIVE_INSTALL_HINT}`,
    });
  }
  // libgomp reads this once, when the addon loads it: idle OpenMP threads sleep instead of
  // spinning, so a worker never burns a core that another process is training on.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  try {
    loaded = createRequire(import.meta.url)(file) as NativeAddon;
  } catch (error) {
    throw new LtlabError(
      'RUNTIME.BACKEND_UNAVAILABLE',
      `The native backend failed to load: ${error instanceof Error ? error.message : String(error)}`,
      { fix: `Rebuild it against this machine's oneDNN: ${NATIVE_INSTALL_HINT}` },
    );
  }
  return loaded;
}
