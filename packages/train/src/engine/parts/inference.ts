import { type Backbone, tauNormalizedLogits } from '@ltlab/backbones';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Inference settings the parts shape in registry order and every prediction rule honours
 * (the backbone's classifier here, or a part's own rule such as fused branches).
 */
export interface Inference {
  /** Score with tau-normalised classifier weights and no bias (docs/methods.md §9.4); absent: the plain classifier. */
  readonly tauNormGamma?: number;
}

/** The default prediction rule: the trunk's pooled features through the classifier, in eval mode. */
export function classifierScores(backbone: Backbone, x: tf.Tensor4D, inference: Inference): tf.Tensor2D {
  return tf.tidy(() => {
    const features = backbone.features(x, { training: false });
    const gamma = inference.tauNormGamma;
    if (gamma === undefined) return backbone.head(features);
    return tauNormalizedLogits(features, backbone.classifier.weight.value as tf.Tensor2D, gamma);
  });
}
