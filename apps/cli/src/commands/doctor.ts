import { spawnSync } from 'node:child_process';
import { LtlabError } from '@ltlab/core';
import type { BackendReport } from '@ltlab/runtime';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { cliChildCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { formatDoctorReport } from './doctor-report.js';

/** Loading tfjs-node(-gpu) in the grandchild can take a while; Dawn takes about a second. */
const PROBE_TIMEOUT_MS = 300_000;

/**
 * `ltlab doctor`: which TF.js backends load on this machine, why the others do not and the fix
 * for each, and what `auto` picks. The probing loads TF.js, the native addon and Dawn, so it runs
 * in a `doctor-child` process; this process (control plane) only prints. Exit 0 when a backend
 * loads (cpu always does), 1 when none does.
 */
export async function doctorCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(z.object({ json: z.boolean().default(false) }), input);
  const report = probeInChild();
  const out = createOutput(values.json);
  if (out.json) out.data(report);
  else out.print(formatDoctorReport(report, terminalWidth()));
  return report.backends.some((d) => d.available) ? EXIT.ok : EXIT.failed;
}

function probeInChild(): BackendReport {
  const { command, args } = cliChildCommand('doctor-child');
  const child = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: PROBE_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  // Dawn and libtensorflow log to stderr; it is shown only when the probe fails.
  const last = child.stdout?.trim().split('\n').at(-1) ?? '';
  if (child.status === 0 && last.startsWith('{')) return JSON.parse(last) as BackendReport;
  const why = child.error?.message ?? (child.signal !== null ? `killed by ${child.signal}` : `exit ${child.status}`);
  throw new LtlabError('INTERNAL', `ltlab doctor's probe process failed (${why}):\n${tail(child.stderr ?? '')}`, {
    fix: 'Report this with the output above; `LTLAB_BACKEND=cpu ltlab train ...` still works meanwhile.',
  });
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-20).join('\n');
}

function terminalWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return Math.min(160, Math.max(80, columns ?? 110));
}
