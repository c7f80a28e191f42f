import type { z } from 'zod';
import { closestName } from './did-you-mean.js';
import { LtlabError } from './ltlab-error.js';

/**
 * What every registry entry has, whatever its kind (loss, backbone, sampler, transform, data-set
 * source): the name a run config uses, one line saying what it is, and the zod schema of the
 * options a run config may set for it (with their defaults). Kinds add their own fields
 * (a loss's `requires`, a transform's `stage`).
 */
export interface RegistryEntry {
  readonly name: string;
  readonly summary: string;
  readonly schema: z.ZodType;
}

/** How messages name the kind: `loss` / `losses`. */
export interface RegistryKind {
  readonly singular: string;
  readonly plural: string;
}

/**
 * Entries of one kind by name, built from an explicit list (docs/architecture.md §5.8). `get`
 * throws CONFIG.UNKNOWN_NAME naming the nearest known name and listing them all; `register`
 * throws INTERNAL for a name already taken, so an extension cannot silently replace an entry.
 */
export interface Registry<E extends RegistryEntry> {
  readonly kind: RegistryKind;
  /** The entry called `name`, or CONFIG.UNKNOWN_NAME with the nearest known name and every known one. */
  get(name: string): E;
  /** The entry called `name`, or undefined. */
  find(name: string): E | undefined;
  has(name: string): boolean;
  /** Every entry, in registration order. */
  list(): readonly E[];
  /** Every name, in registration order. */
  names(): string[];
  /** Adds an entry; a name already registered throws INTERNAL. */
  register(entry: E): void;
  /** A live, read-only view by name (what the registries exported as a `Map` before). */
  readonly byName: ReadonlyMap<string, E>;
}

/** Registers `entries` in order under `kind` (`'loss'`, or `{ singular, plural }` for an irregular plural). */
export function defineRegistry<E extends RegistryEntry>(
  kind: string | RegistryKind,
  entries: readonly E[],
): Registry<E> {
  const words: RegistryKind = typeof kind === 'string' ? { singular: kind, plural: `${kind}s` } : kind;
  const byName = new Map<string, E>();
  const register = (entry: E): void => {
    if (!/^\S+$/.test(entry.name)) {
      throw new LtlabError('INTERNAL', `A ${words.singular} is registered with the name '${entry.name}'.`, {
        fix: 'Give every registry entry a non-empty name without spaces.',
      });
    }
    if (byName.has(entry.name)) {
      throw new LtlabError('INTERNAL', `The ${words.singular} '${entry.name}' is registered twice.`, {
        fix: `Give every ${words.singular} a distinct name; the registered ones are ${[...byName.keys()].join(', ')}.`,
        details: { kind: words.singular, name: entry.name },
      });
    }
    byName.set(entry.name, entry);
  };
  for (const entry of entries) register(entry);
  return {
    kind: words,
    get(name) {
      const entry = byName.get(name);
      if (entry === undefined) throw unknownNameError(words, name, [...byName.keys()]);
      return entry;
    },
    find: (name) => byName.get(name),
    has: (name) => byName.has(name),
    list: () => [...byName.values()],
    names: () => [...byName.keys()],
    register,
    byName,
  };
}

/**
 * CONFIG.UNKNOWN_NAME for `name`: `Unknown loss 'pac0'; did you mean 'paco'? Known losses: ...`.
 * Every known name is listed (a registry is short), so the message alone is enough to fix it.
 */
export function unknownNameError(kind: RegistryKind, name: string, known: readonly string[]): LtlabError {
  const suggestion = closestName(name, known);
  const list = known.join(', ');
  const hint = suggestion === undefined ? '.' : `; did you mean '${suggestion}'?`;
  return new LtlabError(
    'CONFIG.UNKNOWN_NAME',
    `Unknown ${kind.singular} '${name}'${hint} Known ${kind.plural}: ${list}.`,
    {
      fix: suggestion === undefined ? `Use one of: ${list}.` : `Use '${suggestion}', or one of: ${list}.`,
      details: { kind: kind.singular, name, known: [...known], ...(suggestion === undefined ? {} : { suggestion }) },
    },
  );
}
