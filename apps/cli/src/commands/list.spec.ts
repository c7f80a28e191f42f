import { isLtlabError } from '@ltlab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIST_KINDS } from '../tree/list.js';
import { listCommand, loadListing } from './list.js';
import type { ListedEntry } from './registry-listing.js';

async function run(args: string[], flags: Record<string, unknown> = {}): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const code = await listCommand({ args, flags, usage: 'ltlab list <kind> [--json]' });
  return { code, stdout };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ltlab list', () => {
  it('lists every kind, each entry with a summary, and names in kebab-case or their written exception', async () => {
    for (const kind of LIST_KINDS) {
      const entries = await loadListing(kind);
      expect(entries.length, kind).toBeGreaterThan(3);
      for (const entry of entries) {
        expect(entry.summary.length, `${kind} ${entry.name}`).toBeGreaterThan(10);
        // docs/architecture.md §5.8: transforms keep torchvision's and mmseg's names, ResNeXts torchvision's.
        const style = kind === 'transforms' ? /^[a-z][a-zA-Z0-9]*$/ : /^[a-z][a-z0-9]*(-[a-z0-9]+)*(_32x4d)?$/;
        expect(entry.name, kind).toMatch(style);
      }
    }
  });

  it('prints losses with their options, defaults and requirements', async () => {
    const { code, stdout } = await run(['losses']);
    expect(code).toBe(0);
    expect(stdout).toContain('paco  PaCo (Cui et al. 2021)');
    expect(stdout).toMatch(/^ {4}temperature: number > 0 = 0\.2$/m);
    expect(stdout).toMatch(/^ {4}mediumTailRange: \[integer >= 0, integer >= 0\] \(required\)$/m);
    expect(stdout).toContain('requires: logits, labels, classCounts (optional), features (normalized)');
  });

  it('prints JSON with --json: both task registries of a kind', async () => {
    const { code, stdout } = await run(['backbones'], { json: true });
    expect(code).toBe(0);
    const listing = JSON.parse(stdout) as { kind: string; entries: ListedEntry[] };
    expect(listing.kind).toBe('backbones');
    const resnet32 = listing.entries.find((entry) => entry.name === 'resnet32');
    expect(resnet32).toMatchObject({ task: 'classification', details: { family: 'cifar', featureDim: 64 } });
    expect(resnet32?.options).toContainEqual({
      name: 'classifier',
      type: "'linear' | 'cosine'",
      required: false,
      default: 'linear',
    });
    expect(listing.entries.find((entry) => entry.name === 'upernet-resnet50')?.task).toBe('segmentation');
  });

  it('lists both normalize steps of transforms and the sources of both tasks', async () => {
    const transforms = await loadListing('transforms');
    expect(transforms.filter((entry) => entry.name === 'normalize').map((entry) => entry.task)).toEqual([
      'classification',
      'segmentation',
    ]);
    const sources = await loadListing('sources');
    expect(sources.map((entry) => entry.name)).toEqual([
      'fashion-mnist',
      'mnist',
      'cifar10',
      'cifar100',
      'list',
      'image-folder',
      'ade20k',
      'cityscapes',
      'coco-stuff-164k',
      'fashion-mnist-seg-lt',
    ]);
  });

  it('refuses an unknown kind with the nearest one and every known one', async () => {
    const error = await run(['loss']).catch((caught: unknown) => caught);
    expect(isLtlabError(error) && error.code).toBe('CONFIG.UNKNOWN_NAME');
    expect(String((error as Error).message)).toBe(
      "Unknown kind 'loss'; did you mean 'losses'? Known kinds: losses, backbones, samplers, transforms, sources.",
    );
  });
});
