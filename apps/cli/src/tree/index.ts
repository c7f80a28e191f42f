import type { ProgramSpec } from '../command-spec.js';
import { dbSpec } from './db.js';
import { doctorSpec } from './doctor.js';
import { evalSpec } from './eval.js';
import { doctorChildSpec, trainChildSpec } from './internal.js';
import { listSpec } from './list.js';
import { runsSpec } from './runs.js';
import { serveSpec } from './serve.js';
import { sweepSpec } from './sweep.js';
import { trainSpec } from './train.js';
import { upSpec } from './up.js';
import { workerSpec } from './worker.js';

/** Every ltlab command, in the order `ltlab --help` lists them. */
export const PROGRAM: ProgramSpec = {
  name: 'ltlab',
  summary: 'long-tailed recognition experiments, from one run to sweeps over GPU nodes.',
  commands: [
    trainSpec,
    sweepSpec,
    runsSpec,
    evalSpec,
    workerSpec,
    serveSpec,
    upSpec,
    dbSpec,
    listSpec,
    doctorSpec,
    trainChildSpec,
    doctorChildSpec,
  ],
  footer: `Environment: REDIS_URL (redis://127.0.0.1:6379), DATABASE_URL (postgresql://... or file:...),
LTLAB_HOME (./.ltlab), LTLAB_ARTIFACTS, LTLAB_BACKEND (auto|tensorflow|webgpu|native|wasm|cpu),
LTLAB_NATIVE_THREADS (oneDNN threads of \`ltlab train\`, default all cores; worker slots use 1),
LTLAB_WASM_THREADS (wasm threads of \`ltlab train\`, default 1; worker slots use 1),
LTLAB_WEBGPU_ADAPTER (the GPU of a webgpu run, an index \`ltlab doctor\` lists; worker GPU slots set it),
LTLAB_WEBGPU_ALLOW_SOFTWARE=1 (let webgpu use a software Vulkan adapter: tests only),
NO_COLOR (no colour), FORCE_COLOR (colour even when not a terminal).
Commands that print results take --json. Exit codes: 0 ok, 1 failed, 2 usage/config error, 3 service or data unavailable.`,
};
