import * as tf from '@tensorflow/tfjs-core';
import { SGD_UPDATE, type SgdUpdateAttrs } from './native/kernels/optimizer.js';
import { NATIVE_BACKEND } from './native/native-backend.js';
import { WEBGPU_BACKEND } from './webgpu/register-webgpu-backend.js';

export interface SgdUpdateInput extends SgdUpdateAttrs {
  param: tf.Tensor;
  grad: tf.Tensor;
  /** The momentum buffer; undefined before the first step (read as zeros). */
  buffer?: tf.Tensor | undefined;
}

/**
 * One step of SGD with momentum on one parameter, as `torch.optim.SGD` with dampening 0:
 *   g = grad + weightDecay · param;  buf = momentum · buf + g;
 *   step = nesterov ? g + momentum · buf : buf;  param' = param − lr · step
 * (momentum 0: step = g, and no buffer is returned). On native this is one kernel instead of up to
 * seven, on webgpu two dispatches; elsewhere the same float32 operations in the same order, so
 * native gives equal values (webgpu agrees to rounding: a GPU may fuse a multiply-add).
 */
export function sgdUpdate(input: SgdUpdateInput): { param: tf.Tensor; buffer: tf.Tensor | undefined } {
  const { param, grad, buffer, lr, momentum, weightDecay, nesterov } = input;
  if (
    (tf.getBackend() === NATIVE_BACKEND || tf.getBackend() === WEBGPU_BACKEND) &&
    [param, grad, buffer].every((t) => t === undefined || t.dtype === 'float32')
  ) {
    const inputs: tf.NamedTensorMap = buffer === undefined ? { param, grad } : { param, grad, buffer };
    const attrs: SgdUpdateAttrs = { lr, momentum, weightDecay, nesterov };
    const [next, nextBuffer] = tf
      .engine()
      .runKernel(SGD_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { param: next as tf.Tensor, buffer: nextBuffer };
  }
  return tf.tidy(() => {
    const g = weightDecay !== 0 ? tf.add(grad, tf.mul(param, weightDecay)) : grad;
    let step = g;
    let nextBuffer: tf.Tensor | undefined;
    if (momentum > 0) {
      nextBuffer =
        buffer === undefined ? tf.add(tf.mul(tf.zerosLike(param), momentum), g) : tf.add(tf.mul(buffer, momentum), g);
      step = nesterov ? tf.add(g, tf.mul(nextBuffer, momentum)) : nextBuffer;
    }
    const next = tf.sub(param, tf.mul(step, lr));
    return nextBuffer === undefined ? { param: next, buffer: undefined } : { param: next, buffer: nextBuffer };
  });
}
