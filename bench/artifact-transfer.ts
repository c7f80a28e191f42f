/**
 * Checkpoint transfer through the control host's artifact service (docs/deploy.md "Artifacts
 * across hosts"), against a plain file copy on the same machine: MB/s for
 *
 *   fs copy            fs.copyFile of the checkpoint (the kernel's copy, no hashing)
 *   fs copy + sha256   the same, then the copy hashed (what a verified copy costs without HTTP)
 *   upload             HttpArtifactStore.put to a real `ltlab serve` process: the worker hashes the
 *                      file, streams it, the server hashes it again while writing, fsyncs and
 *                      publishes by rename (sha256 checked on both ends)
 *   download           HttpArtifactStore.get: streamed to a temp file, hashed, checked against the
 *                      server's sha256, fsynced and renamed into place
 *
 * measured side by side in one run, --reps times each (median reported). The server's peak
 * resident memory during the uploads (VmRSS sampled every 10 ms, and VmHWM) shows that uploads and
 * downloads stream: it stays far below the checkpoint's size. Needs Redis (REDIS_URL, default
 * redis://127.0.0.1:6379; `ltlab serve` runs its recorder on it) and Linux (/proc). Prints; asserts nothing.
 *
 *   npm run bench -- artifact-transfer [--mb 200] [--reps 3] [--dir <tmp>]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HttpArtifactStore } from '@ltlab/orchestrator';
import { createTemporaryDatabase } from '@ltlab/store/testing';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '200' },
    reps: { type: 'string', default: '3' },
    dir: { type: 'string' },
  },
});
const SIZE = Math.round(Number(values.mb) * 1024 * 1024);
const REPS = Math.max(1, Number(values.reps));
const MB = 1024 * 1024;
const BIN = fileURLToPath(new URL('../apps/cli/bin/ltlab.mjs', import.meta.url));
const TOKEN = 'artifact-transfer-bench-token-0123456789';
const RUN = 'bench-artifact-transfer';

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A checkpoint-sized file of random bytes (incompressible, like float weights), written in 16 MiB chunks. */
function writeRandomFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(16 * MB, size - written));
      writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM). */
function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) * 1024;
}

async function timed(what: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await what();
  return (performance.now() - t0) / 1000;
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;
const rate = (seconds: number[]) => `${(SIZE / MB / median(seconds)).toFixed(0).padStart(5)} MB/s`;
const line = (name: string, seconds: number[], note = '') =>
  console.log(
    `${name.padEnd(18)} ${rate(seconds)}  (median of ${seconds.length}: ${seconds.map((s) => s.toFixed(2)).join(', ')} s)${note}`,
  );

async function startServe(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ltlab serve did not listen: ${lines.join(' | ')}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`ltlab serve exited (${code}): ${lines.join(' | ')}`)));
    if (child.stderr === null) return;
    createInterface({ input: child.stderr }).on('line', (text) => {
      lines.push(text);
      const found = /serve: dashboard (http:\S+?);/.exec(text)?.[1];
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  return { child, url };
}

const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'ltlab-bench-artifacts-'));
const { target, drop } = await createTemporaryDatabase('sqlite', { label: 'bench-artifacts', migrate: true });
let serve: ChildProcess | undefined;
try {
  const source = join(dir, 'epoch-00001.ckpt');
  writeRandomFile(source, SIZE);
  const expected = await sha256Of(source);
  console.log(
    `artifact-transfer: ${(SIZE / MB).toFixed(0)} MB checkpoint, ${REPS} reps, ${cpus().length}x ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${dir}`,
  );

  const copies: number[] = [];
  const verifiedCopies: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const dest = join(dir, `copy-${rep}.ckpt`);
    copies.push(await timed(() => copyFileSync(source, dest)));
    rmSync(dest);
    verifiedCopies.push(
      await timed(async () => {
        copyFileSync(source, dest);
        if ((await sha256Of(dest)) !== expected) throw new Error('the copy differs');
      }),
    );
    rmSync(dest);
  }

  const started = await startServe({
    ...process.env,
    DATABASE_URL: target.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LTLAB_HOME: join(dir, 'control'),
    LTLAB_ARTIFACTS: join(dir, 'control-artifacts'),
    LTLAB_QUEUE_PREFIX: `ltlab-bench-artifacts-${process.pid}`,
    LTLAB_TOKEN: TOKEN,
  });
  serve = started.child;
  const pid = serve.pid ?? 0;
  const http = new HttpArtifactStore({ url: started.url, token: TOKEN, attempts: 1 });
  // One small transfer each way first, so the server's routes and the client's sockets are warm.
  const warm = join(dir, 'warm');
  writeRandomFile(warm, 64 * 1024);
  await http.put(RUN, 'warm', warm);
  await http.get(RUN, 'warm', join(dir, 'warm-back'));
  const idleRss = procKb(pid, 'VmRSS');
  const idleHwm = procKb(pid, 'VmHWM');

  const uploads: number[] = [];
  let peakRss = idleRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procKb(pid, 'VmRSS'));
  }, 10);
  for (let rep = 0; rep < REPS; rep++) {
    uploads.push(
      await timed(async () => {
        const stored = await http.put(RUN, `checkpoints/epoch-0000${rep + 1}.ckpt`, source);
        if (stored.sha256 !== expected) throw new Error('the upload was stored with another sha256');
      }),
    );
  }
  clearInterval(sampler);
  const uploadHwm = procKb(pid, 'VmHWM');

  const downloads: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const dest = join(dir, 'worker-b', `epoch-0000${rep + 1}.ckpt`);
    downloads.push(
      await timed(async () => {
        const got = await http.get(RUN, `checkpoints/epoch-0000${rep + 1}.ckpt`, dest, expected);
        if (got.sha256 !== expected) throw new Error('the download has another sha256');
      }),
    );
    rmSync(dest);
  }
  const finalHwm = procKb(pid, 'VmHWM');

  line('fs copy', copies);
  line('fs copy + sha256', verifiedCopies);
  line('upload (http)', uploads, ', sha256 on both ends');
  line('download (http)', downloads, ', sha256 checked');
  console.log(
    `server memory      idle RSS ${(idleRss / MB).toFixed(0)} MB (peak so far ${(idleHwm / MB).toFixed(0)} MB); ` +
      `peak RSS during the uploads ${(peakRss / MB).toFixed(0)} MB sampled, VmHWM ${(uploadHwm / MB).toFixed(0)} MB; ` +
      `after the downloads VmHWM ${(finalHwm / MB).toFixed(0)} MB; checkpoint ${(SIZE / MB).toFixed(0)} MB`,
  );
  console.log(
    `streaming          the server grew by ${((Math.max(peakRss, uploadHwm) - idleRss) / MB).toFixed(0)} MB over idle while receiving ${(SIZE / MB).toFixed(0)} MB uploads ` +
      `(${(((Math.max(peakRss, uploadHwm) - idleRss) / SIZE) * 100).toFixed(0)}% of one file)`,
  );
} finally {
  serve?.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  serve?.kill('SIGKILL');
  await drop();
  rmSync(dir, { recursive: true, force: true });
}
