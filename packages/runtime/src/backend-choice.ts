import { BACKEND_CHOICES, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';

/** What a user may ask for: `auto` picks the fastest backend that loads here. */
export const backendChoiceSchema = z.enum(BACKEND_CHOICES);
export type BackendChoice = z.infer<typeof backendChoiceSchema>;

/** Reads `LTLAB_BACKEND` (default `auto`), rejecting unknown values with the allowed list. */
export function backendChoiceFromEnv(env: NodeJS.ProcessEnv = process.env): BackendChoice {
  const raw = env.LTLAB_BACKEND;
  if (raw === undefined || raw === '') return 'auto';
  return parseOrThrow(
    backendChoiceSchema,
    raw,
    'LTLAB_BACKEND',
    `Set LTLAB_BACKEND to one of ${BACKEND_CHOICES.join(', ')}.`,
  );
}
