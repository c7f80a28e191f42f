import { isLtlabError, toLtlabError } from '@ltlab/core';
import { dbCommand } from './commands/db.js';
import { doctorCommand } from './commands/doctor.js';
import { doctorChildCommand } from './commands/doctor-child.js';
import { runsCommand } from './commands/runs.js';
import { serveCommand } from './commands/serve.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { trainChildCommand } from './commands/train-child.js';
import { upCommand } from './commands/up.js';
import { workerCommand } from './commands/worker.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

const HELP = `ltlab: long-tailed recognition experiments, from one run to sweeps over GPU nodes.

Usage: ltlab <command> [flags]

  train <config.yaml>        train one run here (no queue, no database)
  sweep submit|status|list|cancel|resume
                             describe, submit and follow sweeps
  runs list|show|compare|export
                             find and compare runs by any hyperparameter
  worker                     train queued runs (--gpus 0,1|all, or --slots N|all)
  serve                      record events into the store (and reap lost runs)
  up                         serve + worker on this machine
  db migrate                 apply database migrations (DATABASE_URL, else SQLite in $LTLAB_HOME)
  doctor                     which TF.js backends load here, why the others do not (with the fix),
                             and what LTLAB_BACKEND=auto picks (exit 0 when one loads: cpu always does)

Environment: REDIS_URL (redis://127.0.0.1:6379), DATABASE_URL (postgresql://... or file:...),
LTLAB_HOME (./.ltlab), LTLAB_ARTIFACTS, LTLAB_BACKEND (auto|tensorflow|webgpu|native|wasm|cpu),
LTLAB_NATIVE_THREADS (oneDNN threads of \`ltlab train\`, default all cores; worker slots use 1),
LTLAB_WASM_THREADS (wasm threads of \`ltlab train\`, default 1; worker slots use 1),
LTLAB_WEBGPU_ADAPTER (the GPU of a webgpu run, an index \`ltlab doctor\` lists; worker GPU slots set it),
LTLAB_WEBGPU_ALLOW_SOFTWARE=1 (let webgpu use a software Vulkan adapter: tests only).
Most commands take --json. Exit codes: 0 ok, 1 failed, 2 usage/config error, 3 service or data unavailable.`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  train: trainCommand,
  'train-child': () => trainChildCommand(),
  sweep: sweepCommand,
  runs: runsCommand,
  worker: workerCommand,
  serve: serveCommand,
  up: upCommand,
  db: dbCommand,
  doctor: doctorCommand,
  'doctor-child': () => doctorChildCommand(),
};

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`Unknown command '${name}'.\n\n${HELP}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  try {
    return await command(rest);
  } catch (error) {
    const ltlab = toLtlabError(error);
    process.stderr.write(
      `${isLtlabError(error) ? ltlab.describe() : `[INTERNAL] ${ltlab.message}\n${error instanceof Error ? (error.stack ?? '') : ''}`}\n`,
    );
    return exitCodeFor(ltlab.code);
  }
}

const exitCode = await main(process.argv.slice(2));
// Queues and database pools keep handles open; a finished command exits with its code.
process.exit(exitCode);
