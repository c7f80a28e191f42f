import * as tf from '@tensorflow/tfjs-core';

type KernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => unknown;

/**
 * PadV2 on webgpu for every rank. tfjs-backend-webgpu 4.22's pad shader declares `vec5`/`vec6`
 * for rank 5 and 6, which WGSL lacks: the pipeline is invalid, Dawn drops the whole command
 * buffer it was submitted in, and every op of that batch silently reads garbage. Above rank 4 the
 * padding is built instead as concatenations with constant blocks, axis by axis (Concat and Fill
 * are correct at any rank); ranks up to 4 keep the package's kernel.
 */
export function registerWebgpuPadAnyRank(backendName: string): void {
  const original = tf.getKernel('PadV2', backendName)?.kernelFunc as KernelFunc | undefined;
  const concat = tf.getKernel('Concat', backendName)?.kernelFunc as KernelFunc | undefined;
  const fill = tf.getKernel('Fill', backendName)?.kernelFunc as KernelFunc | undefined;
  if (original === undefined || concat === undefined || fill === undefined) return;
  tf.unregisterKernel('PadV2', backendName);
  tf.registerKernel({
    kernelName: 'PadV2',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { paddings, constantValue } = args.attrs as unknown as {
        paddings: [number, number][];
        constantValue: number;
      };
      if (x.shape.length <= 4) return original(args as Parameters<KernelFunc>[0]) as tf.TensorInfo;
      const backend = args.backend as { disposeData(dataId: object): void };
      let current = x;
      paddings.forEach(([before, after], axis) => {
        if (before === 0 && after === 0) return;
        const block = (size: number): tf.TensorInfo => {
          const shape = current.shape.map((extent, i) => (i === axis ? size : extent));
          return fill({ inputs: {}, backend, attrs: { shape, value: constantValue, dtype: x.dtype } }) as tf.TensorInfo;
        };
        const parts = [...(before > 0 ? [block(before)] : []), current, ...(after > 0 ? [block(after)] : [])];
        const next = concat({
          inputs: parts as unknown as tf.NamedTensorInfoMap,
          backend,
          attrs: { axis },
        }) as tf.TensorInfo;
        for (const part of parts) if (part !== x) backend.disposeData(part.dataId);
        current = next;
      });
      return current;
    },
  });
}
