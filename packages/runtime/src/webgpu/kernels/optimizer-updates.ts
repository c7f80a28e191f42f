import * as tf from '@tensorflow/tfjs-core';
import {
  MOVING_AVERAGE,
  type MovingAverageAttrs,
  SGD_UPDATE,
  type SgdUpdateAttrs,
} from '../../native/kernels/optimizer.js';

/**
 * The optimizer's per-parameter update and batch norm's running averages as one WebGPU dispatch
 * each (two for SGD with momentum: the buffer, then the parameter), instead of the five to seven
 * element-wise ops of the composed form. A step of ResNet-32 updates about 100 tensors, so this
 * removes some 500 dispatches, each of which costs the backend its JS bookkeeping and a uniform
 * upload whatever the tensor's size. Same formulas, in the same order, as `sgdUpdate` and
 * `movingAverage` compose them (see there); a GPU may fuse a multiply-add, so they agree to
 * rounding, not bit for bit.
 */

type Uniforms = Array<{ type: 'float32'; data: number[] }>;

/** The parts of tfjs-backend-webgpu's backend the kernels call. */
interface WebgpuBackendLike {
  runWebGPUProgram(
    program: ElementwiseProgram,
    inputs: tf.TensorInfo[],
    dtype: 'float32',
    uniforms: Uniforms,
  ): tf.TensorInfo;
}

/**
 * A flat element-wise program over same-size float32 inputs T0..Tn, in the form the backend
 * compiles (its header declares the inputs, `uniforms` and `setOutputAtIndex`; a flat dispatch
 * layout makes it call `main` with the element index). `body` sets `value` from `T0[index]`...
 */
class ElementwiseProgram {
  readonly variableNames: string[];
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly uniforms: string;
  readonly #body: string;

  constructor(key: string, size: number, inputs: number, uniformNames: readonly string[], body: string) {
    this.variableNames = Array.from({ length: inputs }, (_, i) => `T${i}`);
    this.outputShape = [size];
    this.shaderKey = key;
    this.dispatchLayout = { x: [0] };
    this.dispatch = [Math.ceil(size / this.workgroupSize[0]), 1, 1];
    this.uniforms = uniformNames.map((name) => `${name} : f32,`).join(' ');
    this.#body = body;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.#body}
          setOutputAtIndex(index, value);
        }
      }
    `;
  }
}

/** A tensor's data viewed as a flat vector: the programs index by element, whatever the rank. */
function flat(info: tf.TensorInfo): tf.TensorInfo {
  return { dataId: info.dataId, shape: [tf.util.sizeFromShape(info.shape)], dtype: info.dtype };
}

function withShape(info: tf.TensorInfo, shape: readonly number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape: [...shape], dtype: info.dtype };
}

const float = (value: number) => ({ type: 'float32' as const, data: [value] });

/**
 * Runs `body` (WGSL computing `value`, with inputs written `{name}`) element-wise over the named
 * inputs it mentions. Only those are bound: with the pipeline layout derived from the shader, an
 * input the shader never reads has no binding, and binding it anyway invalidates the dispatch.
 */
function runElementwise(
  backend: WebgpuBackendLike,
  key: string,
  named: Record<string, tf.TensorInfo | undefined>,
  uniforms: Record<string, number>,
  body: string,
): tf.TensorInfo {
  const used = Object.keys(named).filter((name) => named[name] !== undefined && body.includes(`{${name}}`));
  const code = used.reduce((text, name, i) => text.replaceAll(`{${name}}`, `T${i}[index]`), body);
  const size = tf.util.sizeFromShape((named[used[0] as string] as tf.TensorInfo).shape);
  const program = new ElementwiseProgram(key, size, used.length, Object.keys(uniforms), code);
  const inputs = used.map((name) => flat(named[name] as tf.TensorInfo));
  return backend.runWebGPUProgram(program, inputs, 'float32', Object.values(uniforms).map(float));
}

function sgdUpdate(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo[] {
  const { param, grad, buffer } = args.inputs as { param: tf.TensorInfo; grad: tf.TensorInfo; buffer?: tf.TensorInfo };
  const { lr, momentum, weightDecay, nesterov } = args.attrs as unknown as SgdUpdateAttrs;
  const backend = args.backend as WebgpuBackendLike;
  const uniforms = { lr, momentum, weightDecay };
  // g = grad + weightDecay · param (weight decay 0 adds nothing, as the composed form).
  const g = weightDecay !== 0 ? '({grad} + {param} * uniforms.weightDecay)' : '{grad}';
  const key = `${weightDecay !== 0}_${buffer !== undefined}_${nesterov}`;
  if (momentum === 0) {
    const next = runElementwise(
      backend,
      `ltlab_sgd_${key}`,
      { param, grad },
      uniforms,
      `let value = {param} - ${g} * uniforms.lr;`,
    );
    return [withShape(next, param.shape)];
  }
  // buf' = momentum · buf + g (a missing buffer reads as zeros times momentum, as composed).
  const previous = buffer === undefined ? '0.0 * uniforms.momentum' : '{buffer} * uniforms.momentum';
  const nextBuffer = runElementwise(
    backend,
    `ltlab_sgd_buffer_${key}`,
    { param, grad, buffer },
    uniforms,
    `let value = ${previous} + ${g};`,
  );
  // step = nesterov ? g + momentum · buf' : buf';  param' = param − lr · step.
  const step = nesterov ? `(${g} + {next} * uniforms.momentum)` : '{next}';
  const nextParam = runElementwise(
    backend,
    `ltlab_sgd_param_${key}`,
    { param, grad, next: nextBuffer },
    uniforms,
    `let value = {param} - ${step} * uniforms.lr;`,
  );
  return [withShape(nextParam, param.shape), withShape(nextBuffer, param.shape)];
}

function movingAverage(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { running, value } = args.inputs as { running: tf.TensorInfo; value: tf.TensorInfo };
  const { keep, take, scale } = args.attrs as unknown as MovingAverageAttrs;
  const scaled = scale === 1 ? '{value}' : '({value} * uniforms.scale)';
  const out = runElementwise(
    args.backend as WebgpuBackendLike,
    `ltlab_moving_average_${scale !== 1}`,
    { running, value },
    { keep, take, scale },
    `let value = {running} * uniforms.keep + ${scaled} * uniforms.take;`,
  );
  return withShape(out, running.shape);
}

/** Registers both kernels for `backendName` (the webgpu backend), once. */
export function registerWebgpuOptimizerUpdates(backendName: string): void {
  if (tf.getKernel(SGD_UPDATE, backendName) !== undefined) return;
  tf.registerKernel({ kernelName: SGD_UPDATE, backendName, kernelFunc: sgdUpdate as tf.KernelFunc });
  tf.registerKernel({ kernelName: MOVING_AVERAGE, backendName, kernelFunc: movingAverage as tf.KernelFunc });
}
