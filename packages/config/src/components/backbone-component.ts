import { backboneSchemaRegistry, segmentationModelSchemaRegistry } from '@ltlab/backbones/schema';
import type { z } from 'zod';
import { findComponent } from './find-component.js';
import { parseComponentOptions } from './parse-component-options.js';

type Options = Record<string, unknown>;

/** `backbone: { name, options }` parsed against the backbone registry, options filled. */
export function parseBackboneComponent<B extends { name: string; options: Options }>(
  backbone: B,
  ctx: z.RefinementCtx,
): B {
  const entry = findComponent(ctx, ['name'], backboneSchemaRegistry, backbone.name);
  if (entry === undefined) return backbone;
  return {
    ...backbone,
    options: parseComponentOptions(ctx, ['options'], entry.schema, backbone.options) ?? backbone.options,
  };
}

/** A segmentation run's `model: { name, options }` parsed against the segmentation model registry, options filled. */
export function parseSegmentationModelComponent<B extends { name: string; options: Options }>(
  model: B,
  ctx: z.RefinementCtx,
): B {
  const entry = findComponent(ctx, ['name'], segmentationModelSchemaRegistry, model.name);
  if (entry === undefined) return model;
  return { ...model, options: parseComponentOptions(ctx, ['options'], entry.schema, model.options) ?? model.options };
}
