import type { CellValue } from '@ltlab/store';

/**
 * Which hyperparameters differ between the runs of a view: what "group by everything except
 * seed" groups by. A key one run lacks and another has differs too (LDAM's `s` against CE).
 * Feed rows page by page; only the first value of each key is kept.
 */
export class VaryingKeys {
  readonly #first = new Map<string, string>();
  readonly #varying = new Set<string>();
  #rows = 0;

  constructor(readonly keys: readonly string[]) {}

  add(values: Readonly<Record<string, CellValue | undefined>>): void {
    for (const key of this.keys) {
      if (this.#varying.has(key)) continue;
      const value = JSON.stringify(values[key] ?? null);
      const first = this.#first.get(key);
      if (this.#rows === 0) this.#first.set(key, value);
      else if (first !== value) this.#varying.add(key);
    }
    this.#rows += 1;
  }

  /** Keys still undecided: once every key varies, further pages cannot change the answer. */
  get undecided(): string[] {
    return this.keys.filter((key) => !this.#varying.has(key));
  }

  /** The varying keys, in the order given. */
  get varying(): string[] {
    return this.keys.filter((key) => this.#varying.has(key));
  }
}
