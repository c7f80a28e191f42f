import { createBackbone, type NamedVariable } from '@ltlab/backbones';
import { softmaxCrossEntropy } from '@ltlab/runtime/testing';
import { Sgd } from '@ltlab/train';
import * as tf from '@tensorflow/tfjs-core';

/** What a benchmark step needs of a model: its parameters by name (as the trainer's Sgd takes them) and a train-mode forward. */
export interface BenchModel {
  params: NamedVariable[];
  forward(x: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** A registered backbone with its linear `fc` head, as TrainingModel.build creates it (train mode: batch statistics). */
export function backboneModel(name: string, input: readonly [number, number, number], numClasses: number): BenchModel {
  const model = createBackbone(name, { numClasses, inputShape: [...input], seed: 0 });
  return {
    params: model.namedParameters(),
    forward: (x) => model.forward(x, { training: true }),
    dispose: () => model.dispose(),
  };
}

/** The trainer's SGD with the CIFAR recipe's settings (the learning rate is given per step). */
export const benchSgd = (): Sgd =>
  new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 5e-4, weightDecayOnNormAndBias: true });

/** One trainer step: gradients of the mean softmax cross-entropy by tf.variableGrads, then SGD at lr 0.1. Returns the loss. */
export function trainerStep(
  model: BenchModel,
  sgd: Sgd,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
): number {
  const { value, grads } = gradients(model, x, labels, numClasses);
  const loss = (value.dataSync() as Float32Array)[0] as number;
  update(model, sgd, value, grads);
  return loss;
}

/**
 * The same step for a backend that cannot read synchronously (webgpu in Node): the loss is read
 * with `await data()` before the update, as the trainer does, so each step waits for the GPU to
 * finish its forward and backward passes (the update of step i is queued before step i + 1's read).
 */
export async function trainerStepAsync(
  model: BenchModel,
  sgd: Sgd,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
): Promise<number> {
  const { value, grads } = gradients(model, x, labels, numClasses);
  const loss = ((await value.data()) as Float32Array)[0] as number;
  update(model, sgd, value, grads);
  return loss;
}

function gradients(
  model: BenchModel,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.variableGrads(
    () => softmaxCrossEntropy(model.forward(x), labels, numClasses),
    model.params.map(([, variable]) => variable),
  );
}

function update(model: BenchModel, sgd: Sgd, value: tf.Scalar, grads: tf.NamedTensorMap): void {
  const byName: Record<string, tf.Tensor> = {};
  for (const [name, variable] of model.params) {
    const grad = grads[variable.name];
    if (grad !== undefined) byName[name] = grad;
  }
  sgd.step(model.params, byName, 0.1);
  tf.dispose([value, ...Object.values(grads)]);
}
