/**
 * The shared contract every registered loss keeps, run on cpu and on wasm: all golden cases (loss
 * and every listed gradient, float32, within each case's tolerance), gradients against finite
 * differences, finite values at logits of +-100, no leaked tensors, and rejected bad options.
 */
import { isLtlabError, Rng } from '@ltlab/core';
import { goldenNames, readGolden as readGoldenData } from '@ltlab/golden';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackend } from './__fixtures__/backends.js';
import { CONTRACT_FIXTURES, type ContractFixture, type PlainCase } from './__fixtures__/contract-fixtures.js';
import { boundCases, evaluateGolden, goldenViolations, lossOf } from './__fixtures__/evaluate-golden.js';
import { flatten, toTensors } from './__fixtures__/golden.js';
import { getLoss, listLosses } from './registry.js';

/** The smallest golden case, by element count of its differentiable inputs. */
function tinyCase(fixture: ContractFixture): PlainCase {
  const sizes = boundCases(fixture).map(({ goldenCase }) => ({
    goldenCase,
    size: fixture.differentiable.reduce((n, key) => n + flatten(goldenCase.inputs[key] ?? []).length, 0),
  }));
  sizes.sort((a, b) => a.size - b.size);
  const smallest = sizes[0]?.goldenCase;
  if (smallest === undefined) throw new Error('fixture has no golden cases');
  return { options: smallest.options, inputs: smallest.inputs };
}

function present(plain: PlainCase, keys: readonly string[]): string[] {
  return keys.filter((key) => plain.inputs[key] !== null && plain.inputs[key] !== undefined);
}

describe('loss registry coverage', () => {
  it('checks every loss golden file of @ltlab/golden through some registered loss', () => {
    const lossFiles = goldenNames().filter((file) => 'loss' in (readGoldenData(file) as object));
    const bound = Object.values(CONTRACT_FIXTURES).flatMap((fixture) => fixture.golden.map((binding) => binding.file));
    expect(lossFiles.length).toBeGreaterThan(0);
    expect([...new Set(bound)].sort()).toEqual(lossFiles.sort());
  });

  it('has a contract fixture for every registered loss, and none for unregistered names', () => {
    const registered = listLosses()
      .map((definition) => definition.name)
      .sort();
    expect(Object.keys(CONTRACT_FIXTURES).sort()).toEqual(registered);
  });
});

describe.each(BACKENDS)('loss contract on %s', (backend) => {
  useBackend(backend);

  for (const [name, fixture] of Object.entries(CONTRACT_FIXTURES)) {
    describe(name, () => {
      const definition = getLoss(name);

      it.each(boundCases(fixture).map((bound) => [`${bound.file}/${bound.goldenCase.name}`, bound] as const))(
        'matches golden %s (loss and gradients)',
        async (_label, { goldenCase }) => {
          const problems = goldenViolations(await evaluateGolden(definition, fixture, goldenCase), goldenCase);
          expect(problems).toEqual([]);
        },
      );

      it('agrees with central finite differences on a tiny input', () => {
        const plain = tinyCase(fixture);
        const wrt = present(plain, fixture.differentiable);
        const rng = new Rng(`losses-fd-${name}`);
        tf.tidy(() => {
          const x = wrt.map((key) => toTensors({ [key]: plain.inputs[key] ?? null })[key] as tf.Tensor);
          const raw = x.map((t) =>
            tf.tensor(
              Array.from({ length: t.size }, () => rng.normal()),
              t.shape,
              'float32',
            ),
          );
          const norm = Math.sqrt(raw.reduce((sum, t) => sum + (tf.sum(tf.square(t)).dataSync()[0] as number), 0));
          const direction = raw.map((t) => tf.div(t, norm));
          const f = lossOf(definition, plain, wrt);
          const grads = tf.grads(f)(x);
          const analytic = grads.reduce(
            (sum, g, i) => sum + (tf.sum(tf.mul(g, direction[i] as tf.Tensor)).dataSync()[0] as number),
            0,
          );
          const h = 1e-2;
          const at = (sign: number) =>
            f(...x.map((t, i) => tf.add(t, tf.mul(direction[i] as tf.Tensor, sign * h)))).dataSync()[0] as number;
          const numeric = (at(1) - at(-1)) / (2 * h);
          expect(Math.abs(numeric - analytic)).toBeLessThanOrEqual(5e-3 + 2e-2 * Math.abs(analytic));
        });
      });

      it('stays finite, loss and gradients, with logits of magnitude 100', () => {
        const plain = fixture.extreme(tinyCase(fixture));
        const wrt = present(plain, fixture.differentiable);
        tf.tidy(() => {
          const x = wrt.map((key) => toTensors({ [key]: plain.inputs[key] ?? null })[key] as tf.Tensor);
          const { value, grads } = tf.valueAndGrads(lossOf(definition, plain, wrt))(x);
          expect(Number.isFinite(value.dataSync()[0])).toBe(true);
          for (const grad of grads) expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
        });
      });

      it('leaks no tensors, in compute and under tf.grads', () => {
        const plain = tinyCase(fixture);
        const wrt = present(plain, fixture.differentiable);
        const inputs = toTensors(plain.inputs);
        const before = tf.memory().numTensors;
        definition.compute(inputs, plain.options).dispose();
        const x = wrt.map((key) => inputs[key] as tf.Tensor);
        const { value, grads } = tf.valueAndGrads(lossOf(definition, plain, wrt))(x);
        value.dispose();
        tf.dispose(grads);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose(Object.values(inputs).filter((t): t is tf.Tensor => t !== null));
      });

      it('rejects invalid and unknown options with CONFIG.INVALID naming the field', () => {
        const plain = tinyCase(fixture);
        const inputs = toTensors(plain.inputs);
        const cases = [
          { options: { ...plain.options, ...fixture.invalidOptions.options }, path: fixture.invalidOptions.path },
          { options: { ...plain.options, notAnOption: 1 }, path: 'notAnOption' },
        ];
        for (const { options, path } of cases) {
          let caught: unknown;
          try {
            definition.compute(inputs, options as never).dispose();
          } catch (error) {
            caught = error;
          }
          expect(isLtlabError(caught) && caught.code).toBe('CONFIG.INVALID');
          expect(String((caught as Error).message)).toContain(`loss '${name}' options`);
          expect(String((caught as Error).message)).toContain(path);
        }
        tf.dispose(Object.values(inputs).filter((t): t is tf.Tensor => t !== null));
      });
    });
  }
});
