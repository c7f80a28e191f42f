import { deriveSeed, LtlabError, type Seed } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { fillInit, type InitRule } from './init-rule.js';
import { validateWeightMap, type WeightMap } from './weight-map.js';

/** `parameter`: learned and EMA-updated; `buffer`: state such as BN running statistics. */
export type ParamRole = 'parameter' | 'buffer';

export interface ParamSpec {
  name: string;
  shape: number[];
  role: ParamRole;
  init: InitRule;
}

/** A declared tensor; `value` is available once its set has been materialised. */
export interface ParamRef {
  readonly name: string;
  readonly value: tf.Variable;
}

export type NamedVariable = readonly [name: string, variable: tf.Variable];

/**
 * What a layer needs to declare its tensors: a ParamSet, or a view of one that puts every name
 * under a prefix (param-scope.ts), so one builder serves a backbone and a segmentation trunk.
 */
export interface ParamDeclarer {
  declare(spec: ParamSpec): ParamRef;
}

export type MaterializeSource = { seed: Seed } | { copyOf: ParamSet };

/**
 * The named tensors of one module. Layers first declare their tensors (name, shape, role, init);
 * `materialize` then allocates them. Declaring without materialising gives a model's shape list
 * and parameter count without allocating anything, through the same code that builds the model.
 *
 * Each tensor is initialised from its own stream, `deriveSeed(seed, name)`, so a tensor's start
 * values depend only on the seed and its name: the same on every backend and independent of
 * declaration order.
 */
export class ParamSet implements ParamDeclarer {
  readonly #specs = new Map<string, ParamSpec>();
  readonly #variables = new Map<string, tf.Variable>();
  #materialized = false;
  #disposed = false;

  declare(spec: ParamSpec): ParamRef {
    if (this.#materialized) throw new LtlabError('INTERNAL', `Cannot declare ${spec.name} after materialisation.`);
    if (this.#specs.has(spec.name)) throw new LtlabError('INTERNAL', `Parameter name ${spec.name} is declared twice.`);
    this.#specs.set(spec.name, { ...spec, shape: [...spec.shape] });
    const variables = this.#variables;
    const { name } = spec;
    return {
      name,
      get value(): tf.Variable {
        const variable = variables.get(name);
        if (variable === undefined) {
          throw new LtlabError('INTERNAL', `Parameter ${name} is used before materialisation or after dispose().`);
        }
        return variable;
      },
    };
  }

  get specs(): ParamSpec[] {
    return [...this.#specs.values()];
  }

  /** Number of scalars in `parameter` tensors (what torch's `sum(p.numel() for p in parameters())` gives). */
  parameterCount(): number {
    let total = 0;
    for (const spec of this.#specs.values()) {
      if (spec.role === 'parameter') total += spec.shape.reduce((a, b) => a * b, 1);
    }
    return total;
  }

  /**
   * Allocates every declared tensor, from a seed or as a copy of a set with the same specs.
   * `trainable` sets the TF.js flag of the `parameter` tensors; buffers are never trainable.
   */
  materialize(source: MaterializeSource, trainable: boolean): void {
    if (this.#materialized) throw new LtlabError('INTERNAL', 'ParamSet is already materialised.');
    if ('copyOf' in source) assertSameSpecs(this, source.copyOf);
    for (const spec of this.#specs.values()) {
      const initial =
        'copyOf' in source
          ? source.copyOf.variable(spec.name)
          : tf.tensor(
              fillInit(
                spec.init,
                spec.shape.reduce((a, b) => a * b, 1),
                deriveSeed(source.seed, spec.name),
              ),
              spec.shape,
            );
      this.#variables.set(spec.name, tf.variable(initial, trainable && spec.role === 'parameter'));
      if (!('copyOf' in source)) initial.dispose();
    }
    this.#materialized = true;
  }

  variable(name: string): tf.Variable {
    const variable = this.#variables.get(name);
    if (variable === undefined) throw new LtlabError('INTERNAL', `No materialised parameter named ${name}.`);
    return variable;
  }

  named(role: ParamRole): NamedVariable[] {
    return this.specs
      .filter((spec) => spec.role === role)
      .map((spec) => [spec.name, this.variable(spec.name)] as const);
  }

  /**
   * Copies of every value (never views of backend memory). Read with `data()`: a GPU backend
   * (webgpu in Node) cannot read synchronously.
   */
  async exportWeights(): Promise<WeightMap> {
    const variables = this.specs.map((spec) => [spec.name, this.variable(spec.name)] as const);
    // Every read starts before the first is awaited, so a GPU backend overlaps the downloads.
    const values = await Promise.all(variables.map(([, variable]) => variable.data()));
    const out: WeightMap = {};
    variables.forEach(([name, variable], i) => {
      out[name] = { shape: [...variable.shape], dtype: 'float32', values: (values[i] as Float32Array).slice() };
    });
    return out;
  }

  /** Replaces every value; all-or-nothing (the map is validated before the first write). */
  loadWeights(map: unknown, what: string): void {
    const specs = this.specs;
    const valid = validateWeightMap(
      specs.map((spec) => ({ name: spec.name, shape: spec.shape, dtype: 'float32' as const })),
      map,
      what,
    );
    for (const spec of specs) {
      const entry = valid[spec.name];
      if (entry === undefined) continue;
      // Copied: some backends keep the array they are given, and the caller still owns the map.
      tf.tidy(() => this.variable(spec.name).assign(tf.tensor(entry.values.slice(), entry.shape, 'float32')));
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    for (const variable of this.#variables.values()) variable.dispose();
    this.#variables.clear();
    this.#disposed = true;
  }
}

function assertSameSpecs(target: ParamSet, source: ParamSet): void {
  const a = target.specs;
  const b = source.specs;
  const same =
    a.length === b.length &&
    a.every((spec, i) => {
      const other = b[i];
      return (
        other !== undefined &&
        other.name === spec.name &&
        other.role === spec.role &&
        other.shape.length === spec.shape.length &&
        other.shape.every((dim, j) => dim === spec.shape[j])
      );
    });
  if (!same) throw new LtlabError('INTERNAL', 'Cannot copy a ParamSet into one with different tensors.');
}
