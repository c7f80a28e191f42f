import { availableParallelism } from 'node:os';
import { LtlabError } from '@ltlab/core';

/** One place a trainer runs: a GPU (by index) or a CPU core. */
export type Slot = { kind: 'gpu'; index: number } | { kind: 'cpu'; core: number };

/**
 * `--gpus 0,1 | all` gives one slot per GPU; `--slots N` one per CPU core, each trainer pinned to
 * its core with one native (or wasm) thread. Per machine this trains more images/s than one
 * process with a thread per core: on 2 cores, ResNet-32 batch 128 on native, 478 against 409
 * images/s (`npm run bench -- worker-slots`, 2026-12-05); two processes with 2 threads each,
 * unpinned, collapse to a sixth (they take turns on the cores).
 */
export function parseSlots(options: { gpus?: string; slots?: number | 'all'; gpuCount?: () => number }): Slot[] {
  if (options.gpus !== undefined) {
    const count = options.gpuCount?.() ?? 0;
    const indices =
      options.gpus === 'all'
        ? Array.from({ length: count }, (_, i) => i)
        : options.gpus.split(',').map((part) => {
            const index = Number(part.trim());
            if (!Number.isInteger(index) || index < 0) {
              throw new LtlabError('CONFIG.INVALID', `--gpus: '${part}' is not a GPU index.`, {
                fix: 'Use --gpus 0,1,... or --gpus all.',
              });
            }
            return index;
          });
    if (indices.length === 0) {
      throw new LtlabError('CONFIG.INVALID', '--gpus all found no GPU on this node.', {
        fix: 'Check nvidia-smi, or use --slots N to train on CPU cores.',
      });
    }
    return indices.map((index) => ({ kind: 'gpu', index }));
  }
  const cores = availableParallelism();
  const count = options.slots === undefined || options.slots === 'all' ? cores : options.slots;
  if (!Number.isInteger(count) || count < 1) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `--slots must be a positive integer or 'all', got ${String(options.slots)}.`,
    );
  }
  return Array.from({ length: count }, (_, i) => ({ kind: 'cpu', core: i % cores }));
}

export function slotName(slot: Slot): string {
  return slot.kind === 'gpu' ? `gpu${slot.index}` : `cpu${slot.core}`;
}

/**
 * Environment of a trainer child on this slot. CUDA numbers GPUs fastest first unless told
 * otherwise; PCI bus order makes `--gpus 1` the GPU that nvidia-smi (and the heartbeat) calls 1.
 * The webgpu backend does not read CUDA's variables: it takes Dawn's adapter of the same index,
 * which Vulkan lists in the driver's order (docs/deploy.md says when that mapping needs one
 * worker per GPU instead).
 */
export function slotEnv(slot: Slot, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (slot.kind === 'gpu')
    return {
      ...base,
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      CUDA_VISIBLE_DEVICES: String(slot.index),
      LTLAB_WEBGPU_ADAPTER: String(slot.index),
    };
  // No GPU for CPU slots, so an installed tfjs-node-gpu does not grab one; one wasm or native
  // thread, as the slot owns one core (pinned) and more threads would only take turns on it.
  return { ...base, CUDA_VISIBLE_DEVICES: '', LTLAB_WASM_THREADS: '1', LTLAB_NATIVE_THREADS: '1' };
}
