/**
 * Cosine classifier: LDAM's `NormedLinear` (Cao et al., "Learning Imbalanced Datasets with
 * Label-Distribution-Aware Margin Loss", NeurIPS 2019, §3.3 and their CIFAR code):
 * `logits = normalize(x, rows) · normalize(W, columns)`, cosines in [-1, 1] and no bias. LDAM
 * scales them by s = 30; an unnormalised linear head with s = 30 diverges.
 */
import * as tf from '@tensorflow/tfjs-core';
import { l2Normalize } from './l2-normalize.js';
import type { Linear } from './linear.js';
import type { ParamSet } from './param-set.js';

export function createCosineLinear(params: ParamSet, name: string, inFeatures: number, outFeatures: number): Linear {
  const weight = params.declare({
    name: `${name}.weight`,
    shape: [inFeatures, outFeatures],
    role: 'parameter',
    init: { kind: 'uniformUnitColumns', rows: inFeatures },
  });
  return {
    weight,
    bias: null,
    inFeatures,
    outFeatures,
    apply: (x) =>
      tf.tidy(() => {
        const w = weight.value as tf.Tensor2D;
        const unitColumns = tf.div(w, tf.maximum(tf.norm(w, 'euclidean', 0, true), 1e-12));
        return tf.matMul(l2Normalize(x), unitColumns);
      }),
  };
}
