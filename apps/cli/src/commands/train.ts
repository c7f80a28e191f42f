import { resolve } from 'node:path';
import { BACKEND_CHOICES } from '@ltlab/core';
import { loadConfigFile } from '@ltlab/train/config';
import { z } from 'zod';
import { parseCommand } from '../args.js';
import { EXIT, usageExit } from '../exit-codes.js';
import { ProgressBar } from '../progress-bar.js';

const USAGE = `ltlab train <config.yaml> [--out DIR] [--resume] [--backend ${BACKEND_CHOICES.join('|')}] [--run-id ID]`;

/**
 * `ltlab train`: one run on this machine, no queue or database. Events go to stdout as JSON
 * lines; a progress bar goes to stderr when it is a terminal.
 */
export async function trainCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { out: { type: 'string' }, resume: { type: 'boolean' }, backend: { type: 'string' }, 'run-id': { type: 'string' } },
    z.object({
      out: z.string().optional(),
      resume: z.boolean().default(false),
      backend: z.enum(BACKEND_CHOICES).optional(),
      'run-id': z
        .string()
        .regex(/^[\w.-]+$/)
        .optional(),
    }),
    USAGE,
  );
  const file = positionals[0];
  if (file === undefined) return usageExit(USAGE);
  // TensorFlow.js loads only here, in the command that trains.
  const { initRuntime } = await import('@ltlab/runtime');
  const { parseRunConfig, trainRun } = await import('@ltlab/train');
  const config = parseRunConfig(await loadConfigFile(file), `run config ${file}`);
  const runtime = await initRuntime(values.backend === undefined ? {} : { backend: values.backend });
  process.stderr.write(`backend: ${runtime.backend} (${runtime.reason})\n`);
  const runId = values['run-id'] ?? (config.name || 'run');
  const runDir = resolve(values.out ?? `runs/${runId}`);
  const bar = process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  try {
    const result = await trainRun({
      config,
      runId,
      runDir,
      resume: values.resume,
      signal: controller.signal,
      onEvent: (event) => {
        bar?.clear();
        process.stdout.write(`${JSON.stringify(event)}\n`);
      },
      ...(bar === null
        ? {}
        : {
            onBatch: (p: { epoch: number; totalEpochs: number; batch: number; batches: number; loss: number }) =>
              bar.update(`epoch ${p.epoch}/${p.totalEpochs}`, p.batch / p.batches, `loss ${p.loss.toFixed(4)}`),
          }),
    });
    bar?.clear();
    if (result.final !== null) {
      const f = result.final;
      process.stderr.write(
        `done: top-1 ${percent(f.top1)}  many ${percent(f.many)}  medium ${percent(f.medium)}  few ${percent(f.few)}  (${runDir})\n`,
      );
    }
    return EXIT.ok;
  } finally {
    bar?.clear();
  }
}

/** A share as a percentage; `–` for a shot group without classes. */
function percent(value: number | null): string {
  return value === null ? '–' : `${(100 * value).toFixed(2)}%`;
}
