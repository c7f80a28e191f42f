import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One GPU as the NVIDIA driver reports it (index in PCI bus order, like CUDA_DEVICE_ORDER=PCI_BUS_ID). */
export interface GpuStatus {
  index: number;
  name: string;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
}

/** Asks the driver for every GPU's memory; null when there is no driver or no nvidia-smi. */
export type GpuProbe = () => Promise<GpuStatus[] | null>;

const MIB = 1024 * 1024;

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,name,memory.used,memory.total',
  '--format=csv,noheader,nounits',
] as const;

/**
 * Parses `nvidia-smi --query-gpu=index,name,memory.used,memory.total --format=csv,noheader,nounits`
 * (memory in MiB). Lines it cannot read (a GPU in a bad state prints `[N/A]` or `[Unknown Error]`)
 * are skipped rather than reported as zero.
 */
export function parseNvidiaSmi(csv: string): GpuStatus[] {
  const gpus: GpuStatus[] = [];
  for (const line of csv.split('\n')) {
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length < 4) continue;
    // A GPU name may itself contain commas: the first field is the index, the last two the memory.
    const index = Number(fields[0]);
    const used = Number(fields[fields.length - 2]);
    const total = Number(fields[fields.length - 1]);
    const name = fields.slice(1, -2).join(', ');
    if (!Number.isInteger(index) || !Number.isFinite(used) || !Number.isFinite(total) || name === '') continue;
    gpus.push({ index, name, memoryUsedBytes: used * MIB, memoryTotalBytes: total * MIB });
  }
  return gpus;
}

/**
 * The default probe: runs nvidia-smi asynchronously (the supervisor's event loop renews job locks,
 * so it must not block on a slow driver). Once nvidia-smi is found missing it is not tried again.
 */
export function nvidiaSmiProbe(command = 'nvidia-smi', timeoutMs = 5_000): GpuProbe {
  let missing = false;
  return () =>
    new Promise((resolve) => {
      if (missing) {
        resolve(null);
        return;
      }
      execFile(command, [...NVIDIA_SMI_ARGS], { encoding: 'utf8', timeout: timeoutMs }, (error, stdout) => {
        if (error !== null) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing = true;
          resolve(null);
          return;
        }
        resolve(parseNvidiaSmi(stdout));
      });
    });
}

/** Resident memory of a process from /proc (Linux); null where /proc is absent or the process is gone. */
export function processRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/** What the dashboard shows for a GPU: its model, index and memory size. */
export function describeGpu(gpu: GpuStatus): string {
  return `${gpu.name} (GPU ${gpu.index}, ${Math.round(gpu.memoryTotalBytes / MIB)} MiB)`;
}
