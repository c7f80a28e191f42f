import { defineRegistry, LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import type { Backbone } from './backbone.js';
import { cifarResNet } from './cifar-resnet.js';
import { imageNetResNet } from './imagenet-resnet.js';
import type { LinearInit } from './linear.js';
import type { ParamSpec } from './param-set.js';
import { backboneConfigOptionsSchema } from './schema/backbone-config-options.js';
import type { BackboneSchemaEntry } from './schema/backbone-schema-entry.js';
import { backboneSchemaRegistry } from './schema/backbones.js';
import type { TrunkBuilder } from './trunk.js';
import { declareTrunkBackbone, TrunkBackbone, type TrunkBackboneConfig } from './trunk-backbone.js';

/** A backbone's schema entry plus its builder (docs/architecture.md §5.8). */
export interface BackboneEntry extends BackboneSchemaEntry {
  readonly build: TrunkBuilder;
}

/** Builds the network each schema entry describes. */
function withBuilder(entry: BackboneSchemaEntry): BackboneEntry {
  const build =
    entry.resnet !== null ? imageNetResNet(entry.resnet) : cifarResNet(entry.cifarDepth ?? unreachable(entry.name));
  return { ...entry, build };
}

function unreachable(name: string): never {
  throw new LtlabError('INTERNAL', `Backbone ${name} has neither a CIFAR depth nor an ImageNet layout.`);
}

const positiveInt = z.number().int().positive();

/**
 * Every backbone, by name, in the order of `backboneSchemaRegistry` (@ltlab/backbones/schema),
 * which holds the names, families, widths and option schemas.
 */
export const backboneRegistry = defineRegistry<BackboneEntry>(
  'backbone',
  backboneSchemaRegistry.list().map(withBuilder),
);

/** What `createBackbone` takes: the config's options plus what the trainer knows (classes, input, seed). */
export const backboneOptionsSchema = backboneConfigOptionsSchema.extend({
  numClasses: positiveInt,
  /** `[height, width, channels]`, e.g. `[28, 28, 1]` for Fashion-MNIST. */
  inputShape: z.tuple([positiveInt, positiveInt, positiveInt]),
  /** Seed of the weight init (each tensor draws from `deriveSeed(seed, name)`). */
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
});

export type BackboneOptions = z.input<typeof backboneOptionsSchema>;

export { backboneConfigOptionsSchema };

/** Names, families, feature widths, summaries and option schemas of every registered backbone. */
export function listBackbones(): Array<Omit<BackboneEntry, 'build' | 'resnet' | 'cifarDepth'>> {
  return backboneRegistry.list().map(({ name, family, featureDim, summary, schema }) => ({
    name,
    family,
    featureDim,
    summary,
    schema,
  }));
}

/** The registered backbone called `name`; CONFIG.UNKNOWN_NAME names the nearest and lists the known ones. */
export function getBackboneEntry(name: string): BackboneEntry {
  return backboneRegistry.get(name);
}

function configFor(
  name: string,
  options: BackboneOptions,
): { config: TrunkBackboneConfig; seed: string | number; trainable: boolean } {
  const entry = getBackboneEntry(name);
  const parsed = parseOrThrow(backboneOptionsSchema, options, `options of backbone '${name}'`);
  const classifierInit: LinearInit =
    parsed.classifierInit === 'pytorchDefault' || entry.family === 'imagenet' ? 'pytorchDefault' : 'kaimingNormalFanIn';
  return {
    config: {
      name,
      family: entry.family,
      build: entry.build,
      numClasses: parsed.numClasses,
      inputShape: parsed.inputShape,
      classifierInit,
      classifier: parsed.classifier,
    },
    seed: parsed.seed,
    trainable: parsed.trainable,
  };
}

/** Builds and initialises a registered backbone. Throws CONFIG.UNKNOWN_NAME listing the known names. */
export function createBackbone(name: string, options: BackboneOptions): Backbone {
  const { config, seed, trainable } = configFor(name, options);
  return new TrunkBackbone(config, { seed }, trainable);
}

/**
 * The tensors a backbone would have (names, shapes, roles, init) and its parameter count, by
 * the same declaration code as `createBackbone` but without allocating: cheap even for ResNet-200.
 */
export function describeBackbone(
  name: string,
  options: BackboneOptions,
): { specs: ParamSpec[]; parameterCount: number } {
  const { params } = declareTrunkBackbone(configFor(name, options).config);
  return { specs: params.specs, parameterCount: params.parameterCount() };
}
