import { resltHeadConfigOptionsSchema } from '@ltlab/backbones/schema';
import { lossSchemaRegistry } from '@ltlab/losses/schema';
import type { z } from 'zod';
import { findComponent } from './find-component.js';
import { parseComponentOptions } from './parse-component-options.js';

type Options = Record<string, unknown>;

/**
 * A method's components, parsed at the edge (docs/architecture.md §5.1): `loss` against the loss
 * registry, `options` with that loss's schema, and `head` with the ResLT head's schema when the
 * loss reads branch logits (a head on any other loss would be ignored, so it is an error). The
 * result carries the options with their defaults, so equal runs have one fingerprint.
 */
export function parseMethodComponents<M extends { loss: string; options: Options; head: Options }>(
  method: M,
  ctx: z.RefinementCtx,
): M {
  const loss = findComponent(ctx, ['loss'], lossSchemaRegistry, method.loss);
  if (loss === undefined) return method;
  const options = parseComponentOptions(ctx, ['options'], loss.schema, method.options) as Options | undefined;
  let head: Options | undefined = method.head;
  if (loss.requires.branchLogits) {
    head = parseComponentOptions(ctx, ['head'], resltHeadConfigOptionsSchema, method.head);
  } else if (Object.keys(method.head).length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['head'],
      message: `loss '${loss.name}' reads no branch logits, so no branch head is built; remove head`,
    });
  }
  return { ...method, options: options ?? method.options, head: head ?? method.head };
}
