import type { LeafSpec } from '../command-spec.js';
import { jsonFlag } from './flags.js';

/** The registries `ltlab list` shows, by the word the command takes (docs/architecture.md §5.8). */
export const LIST_KINDS = ['losses', 'backbones', 'samplers', 'transforms', 'sources'] as const;

export type ListKind = (typeof LIST_KINDS)[number];

export const listSpec: LeafSpec = {
  name: 'list',
  summary: 'the registered losses, backbones, samplers, transforms or data-set sources, with their options',
  details:
    'Each entry with its name (as a run config writes it), one line on what it is, and every option with its ' +
    'type and default; losses also list what the trainer must supply for them. Backbones, transforms and ' +
    'sources list the classification and the segmentation registry.',
  args: [{ name: 'kind', description: LIST_KINDS.join(', ') }],
  flags: [jsonFlag],
  examples: ['ltlab list losses', 'ltlab list transforms --json'],
  run: async (input) => (await import('../commands/list.js')).listCommand(input),
};
