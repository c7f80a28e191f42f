import { describeOptions, type OptionDoc, type RegistryEntry } from '@ltlab/core';

/** One registry entry as `ltlab list` shows it (and `--json` prints it). */
export interface ListedEntry {
  readonly name: string;
  /** Set for kinds with one registry per task (backbones, transforms, sources). */
  readonly task?: 'classification' | 'segmentation';
  readonly summary: string;
  readonly options: OptionDoc[];
  /** What the trainer must supply (a loss's `requires`), as the registry declares it. */
  readonly requires?: Readonly<Record<string, unknown>>;
  /** What the kind adds: a backbone's family and feature width, a transform's stage. */
  readonly details?: Readonly<Record<string, string | number>>;
}

export function listedEntry(
  entry: RegistryEntry,
  extra: Pick<ListedEntry, 'task' | 'requires' | 'details'> = {},
): ListedEntry {
  return { name: entry.name, ...extra, summary: entry.summary, options: describeOptions(entry.schema) };
}

/**
 * The text listing: a section per task where entries have one, then per entry its name and
 * summary, its options (`temperature: number > 0 = 0.2`) and what it requires.
 */
export function formatListing(entries: readonly ListedEntry[]): string {
  const lines: string[] = [];
  let task: string | undefined;
  for (const entry of entries) {
    if (entry.task !== undefined && entry.task !== task) {
      if (lines.length > 0) lines.push('');
      lines.push(`${entry.task}:`);
      task = entry.task;
    }
    lines.push('', `${entry.name}  ${entry.summary}`);
    if (entry.details !== undefined) {
      const details = Object.entries(entry.details).map(([key, value]) => `${key} ${value}`);
      lines.push(`    [${details.join(', ')}]`);
    }
    if (entry.options.length === 0) lines.push('    (no options)');
    for (const option of entry.options) lines.push(`    ${optionText(option)}`);
    const needs = entry.requires === undefined ? [] : requirementNames(entry.requires);
    if (needs.length > 0) lines.push(`    requires: ${needs.join(', ')}`);
  }
  return lines.join('\n').replace(/^\n/, '');
}

function optionText(option: OptionDoc): string {
  const value =
    option.default !== undefined ? ` = ${valueText(option.default)}` : option.required ? ' (required)' : ' (optional)';
  const description = option.description === undefined ? '' : `  ${option.description}`;
  return `${option.name}: ${option.type}${value}${description}`;
}

/** A default as a config would write it, quoted as the types are: `'all'`, `[0.08, 1]`. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  return JSON.stringify(value);
}

/** `logits`, `classCounts (optional)`, `features (normalized, views)`: what is needed, nothing else. */
function requirementNames(requires: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(requires).flatMap(([key, value]) => {
    if (value === true || value === 'required') return [key];
    if (value === false || value === 'no' || value === 'none') return [];
    return [`${key} (${String(value)})`];
  });
}
