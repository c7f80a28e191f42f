/**
 * Reference models built from raw tfjs-core ops, for the runtime's tests and the train-step
 * benchmark (the runtime may not import @ltlab/backbones). They exercise every kernel a
 * ResNet/ResNeXt training step needs: convolutions with stride, 1x1 projections, grouped
 * convolutions, batch norm in train mode, max and average pooling, a dense head.
 *
 * CIFAR ResNet: He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, Sec. 4.2
 * (6n+2 layers, 16/32/64 channels; projection shortcuts here so 1x1 stride-2 convs are covered).
 * ResNeXt block: Xie et al., "Aggregated Residual Transformations", CVPR 2017, Fig. 3(b)/(c).
 */
import { Rng } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrain } from '../batch-norm-train.js';

/** `fused`: the runtime's batchNormTrain; `moments`: tf.moments + tf.batchNorm (autodiff). */
export type BatchNormMode = 'fused' | 'moments';

export interface ReferenceModel {
  readonly name: string;
  /** Input shape without the batch dimension. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly params: tf.Variable[];
  forward(x: tf.Tensor): tf.Tensor2D;
  dispose(): void;
}

class ParamFactory {
  readonly params: tf.Variable[] = [];
  readonly #rng: Rng;
  readonly batchNorm: BatchNormMode;
  constructor(seed: number | string, batchNorm: BatchNormMode = 'fused') {
    this.#rng = new Rng(seed);
    this.batchNorm = batchNorm;
  }
  /** He-normal weights (fan-in), seeded so every backend builds the same model. */
  weight(shape: number[], fanIn: number): tf.Variable {
    const std = Math.sqrt(2 / fanIn);
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = this.#rng.normal(0, std);
    return this.#add(tf.tensor(data, shape));
  }
  constant(shape: number[], value: number): tf.Variable {
    return this.#add(tf.fill(shape, value));
  }
  #add(t: tf.Tensor): tf.Variable {
    const v = tf.variable(t, true);
    t.dispose();
    this.params.push(v);
    return v;
  }
}

type Layer = (x: tf.Tensor) => tf.Tensor;

function conv(p: ParamFactory, inC: number, outC: number, k: number, stride: number): Layer {
  const w = p.weight([k, k, inC, outC], k * k * inC);
  return (x) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, 'same');
}

/** Grouped convolution as split -> per-group conv -> concat (TF.js Conv2D has no groups). */
function groupedConv(p: ParamFactory, channels: number, groups: number, stride: number): Layer {
  const width = channels / groups;
  const ws = Array.from({ length: groups }, () => p.weight([3, 3, width, width], 9 * width));
  return (x) => {
    const parts = tf.split(x, groups, 3);
    return tf.concat(
      parts.map((part, g) => tf.conv2d(part as tf.Tensor4D, ws[g] as tf.Tensor4D, stride, 'same')),
      3,
    );
  };
}

/** Batch norm in train mode: batch statistics over N, H, W. */
function batchNorm(p: ParamFactory, channels: number): Layer {
  const gamma = p.constant([channels], 1);
  const beta = p.constant([channels], 0);
  if (p.batchNorm === 'fused') return (x) => batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-5).y;
  return (x) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
  };
}

function dense(p: ParamFactory, inF: number, outF: number): (x: tf.Tensor2D) => tf.Tensor2D {
  const w = p.weight([inF, outF], inF);
  const b = p.constant([outF], 0);
  return (x) => tf.add(tf.matMul(x, w as tf.Tensor2D), b);
}

function basicBlock(p: ParamFactory, inC: number, outC: number, stride: number): Layer {
  const c1 = conv(p, inC, outC, 3, stride);
  const b1 = batchNorm(p, outC);
  const c2 = conv(p, outC, outC, 3, 1);
  const b2 = batchNorm(p, outC);
  const project = stride !== 1 || inC !== outC;
  const sc = project ? conv(p, inC, outC, 1, stride) : undefined;
  const sb = project ? batchNorm(p, outC) : undefined;
  return (x) => {
    const y = b2(c2(tf.relu(b1(c1(x)))));
    const shortcut = sc !== undefined && sb !== undefined ? sb(sc(x)) : x;
    return tf.relu(tf.add(y, shortcut));
  };
}

/** CIFAR ResNet-(6n+2): ResNet-8 is n=1, ResNet-32 is n=5. */
export function createCifarResNet(
  depth: number,
  options: { seed?: number; numClasses?: number; size?: number; batchNorm?: BatchNormMode } = {},
): ReferenceModel {
  if ((depth - 2) % 6 !== 0) throw new Error(`CIFAR ResNet depth must be 6n+2, got ${depth}`);
  const n = (depth - 2) / 6;
  const numClasses = options.numClasses ?? 10;
  const p = new ParamFactory(options.seed ?? 1, options.batchNorm);
  const stem = conv(p, 3, 16, 3, 1);
  const stemBn = batchNorm(p, 16);
  const blocks: Layer[] = [];
  let inC = 16;
  for (const [stage, outC] of [16, 32, 64].entries()) {
    for (let i = 0; i < n; i++) {
      blocks.push(basicBlock(p, inC, outC, stage > 0 && i === 0 ? 2 : 1));
      inC = outC;
    }
  }
  const head = dense(p, 64, numClasses);
  return {
    name: `resnet${depth}${options.batchNorm === 'moments' ? '-moments' : ''}`,
    inputShape: [options.size ?? 32, options.size ?? 32, 3],
    numClasses,
    params: p.params,
    forward: (x) => {
      let h = tf.relu(stemBn(stem(x)));
      for (const block of blocks) h = block(h);
      return head(tf.mean(h, [1, 2]) as tf.Tensor2D);
    },
    dispose: () => {
      for (const v of p.params) v.dispose();
    },
  };
}

/**
 * An ImageNet-style stem (7x7/2 conv, 3x3/2 max pool) followed by one ResNeXt bottleneck
 * (1x1 -> grouped 3x3/2 -> 1x1, projection shortcut), global average pooling and a dense head.
 */
export function createResNeXtBlockNet(
  options: { seed?: number; size?: number; groups?: number; batchNorm?: BatchNormMode } = {},
): ReferenceModel {
  const size = options.size ?? 32;
  const groups = options.groups ?? 4;
  const p = new ParamFactory(options.seed ?? 2, options.batchNorm);
  const stem = conv(p, 3, 16, 7, 2);
  const stemBn = batchNorm(p, 16);
  const reduce = conv(p, 16, 32, 1, 1);
  const bn1 = batchNorm(p, 32);
  const grouped = groupedConv(p, 32, groups, 2);
  const bn2 = batchNorm(p, 32);
  const expand = conv(p, 32, 64, 1, 1);
  const bn3 = batchNorm(p, 64);
  const sc = conv(p, 16, 64, 1, 2);
  const scBn = batchNorm(p, 64);
  const head = dense(p, 64, 10);
  return {
    name: `resnext-block-g${groups}`,
    inputShape: [size, size, 3],
    numClasses: 10,
    params: p.params,
    forward: (x) => {
      const s = tf.maxPool(tf.relu(stemBn(stem(x))) as tf.Tensor4D, 3, 2, 'same');
      const y = bn3(expand(tf.relu(bn2(grouped(tf.relu(bn1(reduce(s))))))));
      const h = tf.relu(tf.add(y, scBn(sc(s))));
      return head(tf.mean(h, [1, 2]) as tf.Tensor2D);
    },
    dispose: () => {
      for (const v of p.params) v.dispose();
    },
  };
}

/** A 2-layer MLP on flattened 32x32x3 images (dense -> relu -> dense). */
export function createMlp(options: { seed?: number; hidden?: number } = {}): ReferenceModel {
  const p = new ParamFactory(options.seed ?? 3);
  const hidden = options.hidden ?? 512;
  const l1 = dense(p, 32 * 32 * 3, hidden);
  const l2 = dense(p, hidden, 10);
  return {
    name: 'mlp2',
    inputShape: [32, 32, 3],
    numClasses: 10,
    params: p.params,
    forward: (x) => l2(tf.relu(l1(tf.reshape(x, [x.shape[0] as number, -1])))),
    dispose: () => {
      for (const v of p.params) v.dispose();
    },
  };
}

/** Mean softmax cross-entropy of integer labels. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, numClasses: number): tf.Scalar {
  const oneHot = tf.oneHot(labels, numClasses);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** A seeded batch of images in [-1, 1) and labels in [0, numClasses). */
export function randomBatch(
  model: ReferenceModel,
  batchSize: number,
  seed: number,
): { x: tf.Tensor; labels: tf.Tensor1D } {
  const rng = new Rng(seed);
  const size = batchSize * model.inputShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.uniform(-1, 1);
  const labels = Int32Array.from({ length: batchSize }, () => rng.int(0, model.numClasses));
  return { x: tf.tensor(data, [batchSize, ...model.inputShape]), labels: tf.tensor1d(labels, 'int32') };
}
