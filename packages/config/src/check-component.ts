import { isLtlabError } from '@ltlab/core';
import type { z } from 'zod';

/** Runs a component's own validation and reports its failure at `path` of the config. */
export function checkComponent(ctx: z.RefinementCtx, path: PropertyKey[], check: () => unknown): void {
  try {
    check();
  } catch (error) {
    const message = isLtlabError(error) ? error.message.replace(/\n\s*/g, ' ') : String(error);
    ctx.addIssue({ code: 'custom', path, message });
  }
}
