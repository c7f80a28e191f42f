import { backboneSchemaRegistry, segmentationModelSchemaRegistry } from '@ltlab/backbones/schema';
import { unknownNameError } from '@ltlab/core';
import { lossSchemaRegistry } from '@ltlab/losses/schema';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { LIST_KINDS, type ListKind } from '../tree/list.js';
import { formatListing, type ListedEntry, listedEntry } from './registry-listing.js';

/**
 * Each kind's registries. Losses and backbones come from their TF-free schema entries
 * (`@ltlab/losses/schema`, `@ltlab/backbones/schema`), so listing them loads no TF.js
 * (docs/architecture.md §2); the others are imported only when listed.
 */
const LOADERS: Record<ListKind, () => Promise<ListedEntry[]>> = {
  losses: async () => lossSchemaRegistry.list().map((loss) => listedEntry(loss, { requires: { ...loss.requires } })),
  backbones: async () => {
    return [
      ...backboneSchemaRegistry.list().map((backbone) =>
        listedEntry(backbone, {
          task: 'classification',
          details: { family: backbone.family, featureDim: backbone.featureDim },
        }),
      ),
      ...segmentationModelSchemaRegistry
        .list()
        .map((model) =>
          listedEntry(model, { task: 'segmentation', details: { head: model.head, trunk: model.trunk } }),
        ),
    ];
  },
  samplers: async () => {
    const { samplerRegistry } = await import('@ltlab/samplers');
    return samplerRegistry.list().map((sampler) => listedEntry(sampler));
  },
  transforms: async () => {
    const { segmentationTransformRegistry, transformRegistry } = await import('@ltlab/datasets');
    return [
      ...transformRegistry
        .list()
        .map((transform) => listedEntry(transform, { task: 'classification', details: { stage: transform.stage } })),
      ...segmentationTransformRegistry
        .list()
        .map((transform) => listedEntry(transform, { task: 'segmentation', details: { stage: transform.stage } })),
    ];
  },
  sources: async () => {
    const { datasetSourceRegistry, segmentationSourceRegistry } = await import('@ltlab/datasets');
    return [
      ...datasetSourceRegistry.list().map((source) => listedEntry(source, { task: 'classification' })),
      ...segmentationSourceRegistry.list().map((source) => listedEntry(source, { task: 'segmentation' })),
    ];
  },
};

/** The entries of one kind, in registration order (classification before segmentation). */
export function loadListing(kind: ListKind): Promise<ListedEntry[]> {
  return LOADERS[kind]();
}

/** `ltlab list <kind>`: every entry of a registry with its summary and options (exit 2 for an unknown kind). */
export async function listCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(z.object({ json: z.boolean().default(false) }), input);
  const kind = parseKind(input.args[0] ?? '');
  const entries = await loadListing(kind);
  const out = createOutput(values.json);
  if (out.json) out.data({ kind, entries });
  else out.print(formatListing(entries));
  return EXIT.ok;
}

function parseKind(word: string): ListKind {
  const kind = LIST_KINDS.find((known) => known === word);
  if (kind === undefined) throw unknownNameError({ singular: 'kind', plural: 'kinds' }, word, LIST_KINDS);
  return kind;
}
