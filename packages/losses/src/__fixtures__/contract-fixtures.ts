import { classBalancedWeights } from '../class-balanced-weights.js';
import { flatten, type GoldenCase, type Nested } from './golden.js';

/** A case's options and plain inputs, before they become tensors. */
export interface PlainCase {
  options: Record<string, unknown>;
  inputs: Record<string, Nested | null>;
}

/** One golden file checked through a loss; `adapt` maps the file's case onto the loss's inputs. */
export interface GoldenBinding {
  file: string;
  adapt?: (goldenCase: GoldenCase) => GoldenCase;
}

/** What the shared contract test needs to know about one registered loss. */
export interface ContractFixture {
  golden: readonly GoldenBinding[];
  /** Golden gradient names that are row blocks of an input (PaCo's `q` = first B rows of features). */
  gradAliases?: Readonly<Record<string, { input: string; rows: (inputs: PlainCase['inputs']) => number }>>;
  /** Float inputs that carry gradient, checked against finite differences. */
  differentiable: readonly string[];
  /** The same case with logits (or similarities) of magnitude about 100. */
  extreme: (plain: PlainCase) => PlainCase;
  /** Options that must be rejected, and the field path the error has to name. */
  invalidOptions: { options: Record<string, unknown>; path: string };
}

function saturate(value: Nested): Nested {
  return Array.isArray(value) ? value.map(saturate) : value >= 0 ? 100 : -100;
}

/** Replaces the named logit inputs by +-100 with the original signs. */
function saturateLogits(keys: readonly string[]): (plain: PlainCase) => PlainCase {
  return (plain) => {
    const inputs = { ...plain.inputs };
    for (const key of keys) {
      const value = inputs[key];
      if (value !== null && value !== undefined) inputs[key] = saturate(value);
    }
    return { options: plain.options, inputs };
  };
}

function scale(value: Nested, factor: number): Nested {
  return Array.isArray(value) ? value.map((v) => scale(v, factor)) : value * factor;
}

function rowsOf(value: Nested | null | undefined): number {
  return Array.isArray(value) ? value.length : 0;
}

const CLASSIFIER = ['logits'] as const;

/** Every registered loss must appear here: the contract test fails for one that does not. */
export const CONTRACT_FIXTURES: Readonly<Record<string, ContractFixture>> = {
  'cross-entropy': {
    golden: [
      {
        // Class-balanced CE: the weights come from classBalancedWeights, the loss from cross-entropy.
        file: 'class_balanced_weights',
        adapt: (goldenCase) => {
          const { classCounts, ...rest } = goldenCase.inputs;
          const beta = goldenCase.options.beta as number;
          const classWeights = classBalancedWeights(flatten(classCounts ?? []), beta);
          return { ...goldenCase, options: {}, inputs: { ...rest, classWeights } };
        },
      },
    ],
    differentiable: CLASSIFIER,
    extreme: saturateLogits(CLASSIFIER),
    invalidOptions: { options: { labelSmoothing: 1.5 }, path: 'labelSmoothing' },
  },
  focal: {
    golden: [{ file: 'focal' }],
    differentiable: CLASSIFIER,
    extreme: saturateLogits(CLASSIFIER),
    invalidOptions: { options: { gamma: -1 }, path: 'gamma' },
  },
  ldam: {
    golden: [{ file: 'ldam' }],
    differentiable: CLASSIFIER,
    extreme: saturateLogits(CLASSIFIER),
    invalidOptions: { options: { maxM: 0 }, path: 'maxM' },
  },
  'balanced-softmax': {
    golden: [{ file: 'balanced_softmax' }],
    differentiable: CLASSIFIER,
    extreme: saturateLogits(CLASSIFIER),
    invalidOptions: { options: { tau: 1 }, path: 'tau: unknown key' },
  },
  'logit-adjusted-ce': {
    golden: [{ file: 'logit_adjusted_ce' }],
    differentiable: CLASSIFIER,
    extreme: saturateLogits(CLASSIFIER),
    invalidOptions: { options: { tau: 'one' }, path: 'tau' },
  },
  supcon: {
    golden: [{ file: 'supcon' }],
    differentiable: ['features'],
    // Both views of an image equal and T = 0.01: similarities reach +-100 and each row keeps its
    // partner view at the row max, the regime the max shift has to survive.
    extreme: (plain) => {
      const features = plain.inputs.features as number[][][];
      const sameViews = features.map((views) => views.map(() => views[0] as number[]));
      return { options: { ...plain.options, temperature: 0.01 }, inputs: { ...plain.inputs, features: sameViews } };
    },
    invalidOptions: { options: { contrastMode: 'some' }, path: 'contrastMode' },
  },
  paco: {
    golden: [{ file: 'paco' }],
    gradAliases: { q: { input: 'features', rows: (inputs) => rowsOf(inputs.logits) } },
    differentiable: ['features', 'logits'],
    extreme: saturateLogits(CLASSIFIER),
    invalidOptions: { options: { temperature: 0 }, path: 'temperature' },
  },
  reslt: {
    golden: [{ file: 'reslt' }],
    differentiable: ['logitsH', 'logitsM', 'logitsT'],
    extreme: saturateLogits(['logitsH', 'logitsM', 'logitsT']),
    invalidOptions: { options: { beta: 0.9, mediumTailRange: [10, 2], tailRange: [4, 10] }, path: 'mediumTailRange' },
  },
  'region-rebalance': {
    golden: [{ file: 'region_rebalance' }],
    differentiable: ['features'],
    extreme: (plain) => ({
      options: plain.options,
      inputs: { ...plain.inputs, features: scale(plain.inputs.features ?? [], 1000) },
    }),
    invalidOptions: { options: { smooth: 2 }, path: 'smooth' },
  },
};
