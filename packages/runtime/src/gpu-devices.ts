import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** GPU models from the NVIDIA driver's /proc entries, whatever CUDA_VISIBLE_DEVICES says (empty without a driver). */
export function nvidiaGpuModels(): string[] {
  const root = '/proc/driver/nvidia/gpus';
  if (!existsSync(root)) return [];
  try {
    return readdirSync(root).map((bus) => {
      const text = readFileSync(join(root, bus, 'information'), 'utf8');
      return /^Model:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? `NVIDIA GPU ${bus}`;
    });
  } catch {
    return [];
  }
}

/** /dev/dri render nodes: every GPU with a DRM driver has one (AMD, Intel, and NVIDIA's too). */
export function gpuRenderNodes(): string[] {
  try {
    return readdirSync('/dev/dri').filter((name) => name.startsWith('renderD'));
  } catch {
    return [];
  }
}

/** CUDA_VISIBLE_DEVICES set to '' or -1: the worker hides GPUs from CPU slots this way. */
export function gpusHidden(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CUDA_VISIBLE_DEVICES === '' || env.CUDA_VISIBLE_DEVICES === '-1';
}
