/**
 * The layer rule of docs/architecture.md §2 as data. Keys are project folder names; each lists the
 * workspace packages that project may import. Component peers (losses, backbones, datasets,
 * samplers, metrics) have no edges between them; shared needs go down into core or runtime.
 */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  runtime: ['core'],
  losses: ['runtime', 'core'],
  backbones: ['runtime', 'core'],
  datasets: ['runtime', 'core'],
  samplers: ['runtime', 'core'],
  metrics: ['core'],
  // losses and backbones only through their TF-free `./schema` entries (TENSORFLOW_FREE below).
  config: ['losses', 'backbones', 'datasets', 'samplers', 'metrics', 'core'],
  train: ['config', 'losses', 'backbones', 'datasets', 'samplers', 'metrics', 'runtime', 'core'],
  store: ['metrics', 'core'],
  orchestrator: ['config', 'store', 'metrics', 'samplers', 'datasets', 'core'],
  // losses and backbones by their `./schema` entries, or by dynamic import() (the main entries load TF.js).
  cli: [
    'dashboard',
    'orchestrator',
    'store',
    'config',
    'train',
    'losses',
    'backbones',
    'datasets',
    'samplers',
    'metrics',
    'runtime',
    'core',
  ],
  dashboard: ['store', 'metrics', 'core'],
  golden: [],
};

/**
 * Test-data projects: any project's tests (specs, `tests/`, `__fixtures__/`) may import them,
 * its shipped code may not.
 */
export const TEST_ONLY: readonly string[] = ['golden'];

/**
 * The control plane never loads TensorFlow.js: these projects may not import `@tensorflow/*`,
 * nor statically import a workspace entry point that loads it. A dynamic `import()` of such an
 * entry is allowed, because only the command that needs training pays for it.
 */
export const TENSORFLOW_FREE: readonly string[] = [
  'core',
  'config',
  'metrics',
  'store',
  'orchestrator',
  'cli',
  'dashboard',
];

export const WORKSPACE_SCOPE = '@ltlab/';
export const TENSORFLOW_SCOPE = '@tensorflow/';
