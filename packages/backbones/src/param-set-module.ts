import type * as tf from '@tensorflow/tfjs-core';
import type { ParamModule, VariableLists } from './module.js';
import type { NamedVariable, ParamSet } from './param-set.js';
import type { WeightMap } from './weight-map.js';

/** ParamModule and variable lists over one materialised ParamSet: the shared part of every module. */
export abstract class ParamSetModule implements ParamModule, VariableLists {
  readonly trainableVariables: tf.Variable[];
  readonly nonTrainableVariables: tf.Variable[];
  protected readonly params: ParamSet;
  readonly #what: string;

  protected constructor(params: ParamSet, what: string) {
    this.params = params;
    this.#what = what;
    const all = params.specs.map((spec) => params.variable(spec.name));
    this.trainableVariables = all.filter((variable) => variable.trainable);
    this.nonTrainableVariables = all.filter((variable) => !variable.trainable);
  }

  namedParameters(): NamedVariable[] {
    return this.params.named('parameter');
  }

  namedBuffers(): NamedVariable[] {
    return this.params.named('buffer');
  }

  parameterCount(): number {
    return this.params.parameterCount();
  }

  exportWeights(): Promise<WeightMap> {
    return this.params.exportWeights();
  }

  loadWeights(weights: WeightMap): void {
    this.params.loadWeights(weights, this.#what);
  }

  dispose(): void {
    this.params.dispose();
  }
}
