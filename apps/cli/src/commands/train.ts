import { loadConfigFile, parseRunConfig } from '@ltlab/config';
import { BACKEND_CHOICES } from '@ltlab/core';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import { coloursFor } from '../colours.js';
import type { CommandInput } from '../command-spec.js';
import { EXIT } from '../exit-codes.js';
import { LiveLines } from '../live-lines.js';
import { checkOutputDirectory } from '../output-paths.js';
import { importTrainingPackage } from '../training-packages.js';
import { type BatchProgress, TrainProgress } from './train-progress.js';

const flagSchema = z.object({
  out: z.string().optional(),
  resume: z.boolean().default(false),
  backend: z.enum(BACKEND_CHOICES).optional(),
  'run-id': z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, _, . and - only')
    .optional(),
  json: z.boolean().default(false),
});

/**
 * `ltlab train`: one run on this machine, no queue or database. stdout carries the JSON event
 * stream with --json or when it is not a terminal (a pipe, a file); otherwise it gets the lines
 * for people, which then go to stderr instead.
 */
export async function trainCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(flagSchema, input);
  const file = input.args[0] as string;
  // TensorFlow.js loads only here, in the command that trains.
  const { initRuntime } = await importTrainingPackage('@ltlab/runtime', 'ltlab train', () => import('@ltlab/runtime'));
  const { trainRun } = await importTrainingPackage('@ltlab/train', 'ltlab train', () => import('@ltlab/train'));
  const config = parseRunConfig(await loadConfigFile(file), `run config ${file}`);
  const runId = values['run-id'] ?? (config.name || 'run');
  // Checked before the backend starts: a run directory under a file fails here, with the flag named.
  const runDir = checkOutputDirectory(
    values.out ?? `runs/${runId}`,
    values.out === undefined ? '--out (default)' : '--out',
  );
  const runtime = await initRuntime(values.backend === undefined ? {} : { backend: values.backend });
  process.stderr.write(`backend: ${runtime.backend} (${runtime.reason})\n`);

  const json = values.json || !process.stdout.isTTY;
  const people = json ? process.stderr : process.stdout;
  // JSON on a terminal's stdout beside a bar redrawn on its stderr would tear both.
  const lines = new LiveLines(people, { live: people.isTTY === true && !(json && process.stdout.isTTY) });
  const progress = new TrainProgress({ colours: coloursFor(people), runDir });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  try {
    await trainRun({
      config,
      runId,
      runDir,
      resume: values.resume,
      signal: controller.signal,
      onEvent: (event) => {
        if (json) process.stdout.write(`${JSON.stringify(event)}\n`);
        if (event.type === 'epoch') lines.drop('epoch');
        for (const line of progress.lines(event)) lines.log(line);
      },
      ...(lines.live ? { onBatch: (p: BatchProgress) => lines.set('epoch', progress.batch(p)) } : {}),
    });
    return EXIT.ok;
  } finally {
    lines.close();
  }
}
