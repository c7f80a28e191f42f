// Check of the GPU worker image's webgpu path: the `webgpu` package (Dawn's node binding) loads,
// navigator.gpu can be created, and @tensorflow/tfjs-backend-webgpu registers the `webgpu` backend
// in the same @tensorflow/tfjs-core the ltlab runtime imports (one copy, deduplicated at the
// workspace root). No GPU is visible while an image builds, so by default no adapter is requested.
// On a GPU node, --require-adapter asks Dawn for its adapter, prints it and multiplies two matrices
// on `webgpu`; it fails when Dawn finds no adapter or only a software one (Mesa's lavapipe,
// SwiftShader), which LTLAB_WEBGPU_ALLOW_SOFTWARE=1 accepts for correctness tests.
// Run from /app: node docker/check-webgpu-backend.mjs [--require-adapter]
//   docker run --rm --gpus all --entrypoint node ltlab-worker-gpu:0.1.0 docker/check-webgpu-backend.mjs --require-adapter
import { createRequire } from 'node:module';

const usage = 'usage: node docker/check-webgpu-backend.mjs [--require-adapter]';
const args = process.argv.slice(2);
if (args.some((arg) => arg !== '--require-adapter')) fail(`unknown argument: ${args.join(' ')}\n${usage}`);
const requireAdapter = args.includes('--require-adapter');
const allowSoftware = ['1', 'true'].includes(process.env.LTLAB_WEBGPU_ALLOW_SOFTWARE ?? '');

function fail(message) {
  console.error(`webgpu backend check failed: ${message}`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const versionOf = (name) => require(`${name}/package.json`).version;

let webgpu;
try {
  webgpu = await import('webgpu');
} catch (error) {
  fail(
    `the webgpu package does not load (${error.message}). It is an optionalDependency of @ltlab/runtime: ` +
      'npm ci leaves it out without a word when it fails to install, and its linux-x64 binary needs glibc >= 2.34.',
  );
}
// What a browser provides and tfjs-backend-webgpu expects: the GPU* constants and navigator.gpu.
// Node 20 has no navigator; Node >= 21 has one without `gpu`. Dawn runs while `gpu` is referenced,
// hence the explicit exits below.
Object.assign(globalThis, webgpu.globals);
const gpu = webgpu.create(['backend=vulkan']); // as the ltlab runtime creates it
if (globalThis.navigator === undefined) globalThis.navigator = { gpu };
else Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });

// One tfjs-core: the one tfjs-backend-webgpu registers into must be the one the runtime imports.
const runtimeCore = createRequire(new URL('../packages/runtime/package.json', import.meta.url)).resolve(
  '@tensorflow/tfjs-core',
);
const backendCore = createRequire(require.resolve('@tensorflow/tfjs-backend-webgpu')).resolve('@tensorflow/tfjs-core');
if (backendCore !== runtimeCore) {
  fail(
    `tfjs-backend-webgpu uses ${backendCore}, the ltlab runtime ${runtimeCore}: the backend would be invisible to it`,
  );
}
await import('@tensorflow/tfjs-backend-webgpu');
const tf = await import('@tensorflow/tfjs-core');
if (tf.findBackendFactory('webgpu') === null) fail('@tensorflow/tfjs-backend-webgpu did not register `webgpu`');
const versions =
  `tfjs-core ${tf.version_core}, tfjs-backend-webgpu ${versionOf('@tensorflow/tfjs-backend-webgpu')}, ` +
  `webgpu ${versionOf('webgpu')}`;

if (!requireAdapter) {
  console.log(
    `webgpu backend loads (${versions}): navigator.gpu created, \`webgpu\` registered. No adapter requested ` +
      '(no GPU is visible while an image builds); on a GPU node run this with --require-adapter.',
  );
  process.exit(0);
}

// Every adapter Dawn sees, by name (what its node binding selects by): asking for a name that does
// not exist makes it list them. Best effort: with no adapter at all it answers null instead.
let names = [];
try {
  await webgpu.create(['backend=vulkan', 'adapter=\u0001ltlab-list-adapters']).requestAdapter();
} catch (error) {
  names = [...String(error.message).matchAll(/backend: '([^']*)', name: '([^']*)'/g)].map((m) => `${m[1]}: ${m[2]}`);
}
console.log(`Dawn's adapters: ${names.length > 0 ? names.join('; ') : 'none listed'}`);

const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (adapter === null) {
  fail(
    'Dawn found no adapter. In a container: NVIDIA_DRIVER_CAPABILITIES must include graphics ' +
      `(it is ${process.env.NVIDIA_DRIVER_CAPABILITIES ?? 'unset'}), the host driver must ship its Vulkan ` +
      'library libGLX_nvidia.so.0 (headless driver packages leave it out), and the ICD file ' +
      `${process.env.VK_DRIVER_FILES ?? '/etc/vulkan/icd.d/nvidia_icd.json'} must point at it. ` +
      '`vulkaninfo --summary` shows what the Vulkan loader finds.',
  );
}
const info =
  adapter.info ?? (typeof adapter.requestAdapterInfo === 'function' ? await adapter.requestAdapterInfo() : {});
const described = `vendor ${info.vendor || '?'}, architecture ${info.architecture || '?'}, device ${info.device || '?'}, description "${info.description || '?'}"`;
const software =
  info.isFallbackAdapter === true ||
  adapter.isFallbackAdapter === true ||
  info.architecture === 'software' ||
  /llvmpipe|lavapipe|swiftshader/i.test(`${info.description} ${info.device}`);
console.log(`adapter: ${described}${software ? ' (software)' : ''}`);
if (software && !allowSoftware) {
  fail(
    'only a software adapter was found, so the NVIDIA Vulkan driver is not reachable: see `vulkaninfo --summary`, ' +
      'NVIDIA_DRIVER_CAPABILITIES (needs graphics) and the ICD file. LTLAB_WEBGPU_ALLOW_SOFTWARE=1 accepts a ' +
      'software adapter, for correctness tests only.',
  );
}

// tfjs-backend-webgpu asks navigator.gpu for the same high-performance adapter.
if (!(await tf.setBackend('webgpu'))) fail("tf.setBackend('webgpu') returned false (see the errors above)");
await tf.ready();
const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
const values = Array.from(await product.data());
if (tf.getBackend() !== 'webgpu' || values.join(',') !== '19,22,43,50') {
  fail(`backend ${tf.getBackend()}, [1 2; 3 4] x [5 6; 7 8] = ${values}`);
}
console.log(
  `webgpu backend computes (${versions}) on the adapter above: ` +
    `[1 2; 3 4] x [5 6; 7 8] = [${values}]. Which adapter each worker slot gets (LTLAB_WEBGPU_ADAPTER): ltlab doctor.`,
);
process.exit(0);
