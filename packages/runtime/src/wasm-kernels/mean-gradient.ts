import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient of Mean: dy / n spread over the reduced axes. tfjs-core divides the full-size
 * product by n; dividing the small dy first saves one full-size pass per call (two per
 * train-mode batch norm through `tf.moments`). Same values, so every backend may use it.
 */
export const meanGradConfig: GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dyOrList: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dy = Array.isArray(dyOrList) ? (dyOrList[0] as Tensor) : dyOrList;
    const [x] = saved as [Tensor];
    const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
    const reduceSize = axes.reduce((n, a) => n * (x.shape[a] as number), 1);
    const expandedShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return {
      x: () => tf.mul(tf.ones(x.shape, 'float32'), tf.div(tf.reshape(dy, expandedShape), reduceSize)),
    };
  },
};
