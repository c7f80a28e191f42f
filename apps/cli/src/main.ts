import { readFileSync } from 'node:fs';
import { coloursFor } from './colours.js';
import { exitCodeFor } from './exit-codes.js';
import { runProgram } from './program.js';
import { PROGRAM } from './tree/index.js';

// Only the command tree loads up to here: each command imports its own code (Prisma, BullMQ,
// TF.js) when it runs, so `ltlab --help` or a typo answers at once.

/** This package's version (package.json sits one folder up from both src/ and dist/). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

export async function main(argv: readonly string[]): Promise<number> {
  const red = coloursFor(process.stderr).red;
  try {
    return await runProgram(PROGRAM, packageVersion(), argv, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      error: red,
      width: Math.min(120, Math.max(60, process.stdout.isTTY ? process.stdout.columns : 100)),
    });
  } catch (error) {
    const { isLtlabError, redactUrlsIn, toLtlabError } = await import('@ltlab/core');
    const { systemErrorAsUsage } = await import('./system-error.js');
    // Expected failures print `[CODE] message` and the fix; only a bug (INTERNAL) shows its stack.
    const coded = isLtlabError(error) ? error : systemErrorAsUsage(error);
    const ltlab = coded ?? toLtlabError(error);
    const text =
      coded !== undefined
        ? red(ltlab.describe())
        : `[INTERNAL] ${ltlab.message}\n${error instanceof Error ? (error.stack ?? '') : ''}`;
    // Whatever a message quotes (a driver's error, a URL in a stack), no password reaches the terminal.
    process.stderr.write(`${redactUrlsIn(text)}\n`);
    return exitCodeFor(ltlab.code);
  }
}

const exitCode = await main(process.argv.slice(2));
// Queues and database pools keep handles open; a finished command exits with its code.
process.exit(exitCode);
