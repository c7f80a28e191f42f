import { methodSchema } from '@ltlab/config';
import { classBalancedWeights } from '@ltlab/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelPart } from './model-part.js';

/**
 * Deferred re-weighting (Cao et al., NeurIPS 2019; docs/methods.md): from epoch `startEpoch` of a
 * stage (0-based within the stage) the loss gets class-balanced weights `classWeights`
 * (Cui et al., CVPR 2019, with `beta`), when the stage's method sets `drw` and its loss takes
 * weights. Any stage may set its own `drw`, so the part is built when one does.
 */
export const classWeightSchedule: ModelPart = {
  name: 'class-weight-schedule',
  summary: 'class-balanced loss weights from an epoch of the stage on (deferred re-weighting)',
  schema: methodSchema.in.shape.drw,
  selects: ({ config }) =>
    [config.method, ...config.stages.map((stage) => stage.method)].some((m) => m?.drw !== undefined),
  build: ({ classCounts }) => {
    // One tensor per beta, made when first needed and kept until the model is disposed.
    const byBeta = new Map<number, tf.Tensor1D>();
    const weightsFor = (beta: number): tf.Tensor1D => {
      let weights = byBeta.get(beta);
      if (weights === undefined) {
        weights = tf.tensor1d(classBalancedWeights(Array.from(classCounts), beta), 'float32');
        byBeta.set(beta, weights);
      }
      return weights;
    };
    return {
      parameters: () => [],
      startStep: ({ requires, method, stageEpoch }) => {
        const drw = method.drw;
        if (requires.classWeights === 'no' || drw === undefined || stageEpoch < drw.startEpoch) return null;
        const weights = weightsFor(drw.beta);
        return {
          inputs: (_forward, inputs) => {
            inputs.classWeights = weights;
          },
        };
      },
      dispose: () => {
        for (const weights of byBeta.values()) weights.dispose();
        byBeta.clear();
      },
    };
  },
};
