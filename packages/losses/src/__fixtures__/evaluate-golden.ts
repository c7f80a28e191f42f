import * as tf from '@tensorflow/tfjs-core';
import type { LossDefinition } from '../loss-definition.js';
import type { ContractFixture, PlainCase } from './contract-fixtures.js';
import { flatten, type GoldenCase, readGolden, toleranceViolations, toTensors } from './golden.js';

/**
 * A loss's golden cases evaluated on the active backend: loss value and every gradient the golden
 * file lists. Values are read with `await data()`, which every backend supports (webgpu cannot
 * read synchronously in Node).
 */
export interface BoundCase {
  file: string;
  goldenCase: GoldenCase;
}

export function boundCases(fixture: ContractFixture): BoundCase[] {
  return fixture.golden.flatMap(({ file, adapt }) =>
    readGolden(file).cases.map((goldenCase) => ({ file, goldenCase: adapt ? adapt(goldenCase) : goldenCase })),
  );
}

/** The loss as a function of the differentiable inputs, the rest held fixed. */
export function lossOf(definition: LossDefinition, plain: PlainCase, wrt: readonly string[]) {
  return (...variables: tf.Tensor[]): tf.Scalar => {
    const fixed = toTensors(Object.fromEntries(Object.entries(plain.inputs).filter(([key]) => !wrt.includes(key))));
    const inputs = { ...fixed, ...Object.fromEntries(wrt.map((key, i) => [key, variables[i] as tf.Tensor])) };
    return definition.compute(inputs, plain.options);
  };
}

/** Loss value and gradients of a golden case, the gradient names resolved through the aliases. */
export async function evaluateGolden(
  definition: LossDefinition,
  fixture: ContractFixture,
  goldenCase: GoldenCase,
): Promise<{ loss: number; grads: Record<string, Float32Array> }> {
  const gradNames = Object.keys(goldenCase.expected.grads);
  const wrt = [...new Set(gradNames.map((name) => fixture.gradAliases?.[name]?.input ?? name))];
  const [value, ...blocks] = tf.tidy(() => {
    const variables = wrt.map((key) => toTensors({ [key]: goldenCase.inputs[key] ?? null })[key] as tf.Tensor);
    const { value, grads } = tf.valueAndGrads(lossOf(definition, goldenCase, wrt))(variables);
    const kept = gradNames.map((name) => {
      const alias = fixture.gradAliases?.[name];
      const grad = grads[wrt.indexOf(alias?.input ?? name)] as tf.Tensor;
      return alias ? tf.slice(grad, [0], [alias.rows(goldenCase.inputs)]) : grad;
    });
    return [value, ...kept];
  }) as tf.Tensor[];
  const grads: Record<string, Float32Array> = {};
  for (const [i, name] of gradNames.entries()) grads[name] = (await (blocks[i] as tf.Tensor).data()) as Float32Array;
  const loss = ((await (value as tf.Tensor).data()) as Float32Array)[0] as number;
  tf.dispose([value as tf.Tensor, ...blocks]);
  return { loss, grads };
}

/** Every loss and gradient element outside the case's tolerance, one line each (empty when all hold). */
export function goldenViolations(
  actual: { loss: number; grads: Record<string, Float32Array> },
  goldenCase: GoldenCase,
): string[] {
  const problems = toleranceViolations([actual.loss], [goldenCase.expected.loss], goldenCase.tolerance).map(
    (line) => `loss ${line}`,
  );
  for (const [gradName, expected] of Object.entries(goldenCase.expected.grads)) {
    const got = actual.grads[gradName] ?? new Float32Array();
    problems.push(
      ...toleranceViolations(got, flatten(expected), goldenCase.tolerance).map((line) => `d/d${gradName}${line}`),
    );
  }
  return problems;
}
