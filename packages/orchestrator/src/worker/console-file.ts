import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A run's console log on the shared artifact storage. Appends are synchronous and small (one
 * line of trainer output), so lines of successive attempts never interleave; a failing disk only
 * loses the log, never the run.
 */
export class ConsoleFile {
  readonly #path: string;
  #broken = false;

  constructor(path: string) {
    this.#path = path;
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch {
      this.#broken = true;
    }
  }

  append(text: string): void {
    if (this.#broken) return;
    try {
      appendFileSync(this.#path, text);
    } catch {
      this.#broken = true;
    }
  }
}
