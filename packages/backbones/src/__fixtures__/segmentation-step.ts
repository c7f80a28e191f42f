import { Rng } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { RegionRebalanceBranch } from '../region-rebalance-branch.js';
import { createSegmentationModel } from '../segmentation-registry.js';
import type { StepResult } from './training-step.js';

const CLASSES = 4;

/**
 * Sizes that take every kernel path: at 32x32 and output stride 8 the stage-4 map is 4x4, so its
 * rate-2 conv goes through space-to-batch while the ASPP rates (12-36) reduce to their centre
 * tap; UPerNet adds the pyramid pools, the RR branch the segment sums. A batch of 4 keeps the
 * step well conditioned: a 1e-7 relative change of the input moves the cpu gradients by 2e-5 at
 * most (at batch 2, 64x64, by 3e-4, through the BN of the 1x1 pooled branches).
 */
export const SEGMENTATION_CASES = [
  {
    label: 'DeepLabv3+ (dilated ResNet-10, output stride 8) + Region Rebalance branch, 32x32, batch 4',
    name: 'deeplabv3plus-resnet10',
    options: { lowLevelChannels: 4 },
  },
  {
    label: 'UPerNet (ResNet-10, PPM + FPN) + Region Rebalance branch, 32x32, batch 4',
    name: 'upernet-resnet10',
    options: {},
  },
] as const;

/** Loss (pixel CE + 0.4 aux CE + region CE), every parameter gradient and the BN statistics after one step on `backend`. */
export async function segmentationStep(
  backend: string,
  name: string,
  options: Record<string, unknown>,
): Promise<StepResult> {
  await tf.setBackend(backend);
  const size = 32;
  const batch = 4;
  const model = createSegmentationModel(name, {
    numClasses: CLASSES,
    trunkWidth: 4,
    channels: 8,
    auxChannels: 4,
    seed: 3,
    ...options,
  });
  const branch = RegionRebalanceBranch.create({
    inChannels: model.featureChannels,
    numClasses: CLASSES,
    reducedChannels: 4,
    hiddenChannels: 8,
  });
  const rng = new Rng(7);
  const x = tf.tensor4d(
    Float32Array.from({ length: batch * size * size * 3 }, () => rng.uniform(-1, 1)),
    [batch, size, size, 3],
  );
  const labelValues = Int32Array.from({ length: batch * size * size }, (_, i) =>
    i % 97 === 0 ? 255 : Math.floor((i % size) / (size / CLASSES)),
  );
  const labels = tf.tensor3d(labelValues, [batch, size, size], 'int32');
  const oneHot = tf.oneHot(
    tf.tensor1d(
      labelValues.map((l) => (l === 255 ? CLASSES : l)),
      'int32',
    ),
    CLASSES + 1,
  );
  const target = tf.reshape(tf.slice(oneHot, [0, 0], [-1, CLASSES]), [batch, size, size, CLASSES]);
  const pixelCe = (logits: tf.Tensor4D) => tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), target))), labels.size);
  const params = model.namedParameters();
  const { value, grads } = tf.variableGrads(
    () => {
      const out = model.forward(x, { training: true, dropoutSeed: 1 });
      const rr = branch.forward(out.features, labels, { training: true, dropoutSeed: 2, labelValues });
      const regionCe = tf.neg(
        tf.mean(tf.sum(tf.mul(tf.logSoftmax(rr.regionLogits), tf.oneHot(rr.regionClasses, CLASSES)), 1)),
      );
      return tf.addN([pixelCe(out.logits), tf.mul(pixelCe(out.auxLogits as tf.Tensor4D), 0.4), regionCe]) as tf.Scalar;
    },
    params.map(([, v]) => v),
  );
  const buffers = [...model.namedBuffers(), ...branch.namedBuffers()];
  const result: StepResult = {
    loss: ((await value.data()) as Float32Array)[0] as number,
    names: params.map(([n]) => n),
    grads: await Promise.all(params.map(async ([, v]) => Float32Array.from(await (grads[v.name] as tf.Tensor).data()))),
    buffers: await Promise.all(buffers.map(async ([, v]) => Float32Array.from(await v.data()))),
  };
  tf.dispose([value, x, labels, oneHot, target, ...Object.values(grads)]);
  branch.dispose();
  model.dispose();
  return result;
}
