import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedParameter, Optimizer } from './optimizer.js';
import type { TaskBatch } from './training-task.js';

/** The parameters a stage trains, by name and as the variables the gradient is taken for. */
export interface StepParameters {
  readonly named: readonly NamedParameter[];
  readonly variables: readonly tf.Variable[];
}

/**
 * One optimizer step on one batch: the loss and its gradients, a stop on a loss that is not
 * finite (TRAIN.NAN_LOSS naming the step), the optimizer update and the task's end of step
 * (queue updates). `step` is the 1-based number of this step over the run. Returns the loss and
 * the step's learning rate.
 */
export async function trainStep(
  batch: TaskBatch,
  optimizer: Optimizer,
  params: StepParameters,
  at: { step: number; epoch: number },
): Promise<{ loss: number; lr: number }> {
  const step = batch.start();
  const { value, grads } = tf.variableGrads(() => step.loss(), [...params.variables]);
  // Read asynchronously: a GPU backend (webgpu in Node) cannot read synchronously.
  const loss = ((await value.data()) as Float32Array)[0] as number;
  if (!Number.isFinite(loss)) {
    throw new LtlabError('TRAIN.NAN_LOSS', `The loss is ${loss} at step ${at.step} (epoch ${at.epoch}).`, {
      fix: 'Lower optimizer.lr or check the data; the run stops rather than train on garbage.',
      details: { step: at.step, epoch: at.epoch },
    });
  }
  const byName: Record<string, tf.Tensor> = {};
  for (const [name, variable] of params.named) {
    const grad = grads[variable.name];
    if (grad !== undefined) byName[name] = grad;
  }
  optimizer.step(params.named, byName, step.lr);
  step.finish();
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, lr: step.lr };
}
