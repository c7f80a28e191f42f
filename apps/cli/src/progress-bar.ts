/** A one-line progress bar redrawn in place on a terminal. */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  #shown = false;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  update(label: string, fraction: number, suffix: string): void {
    const width = Math.max(10, Math.min(40, (this.#stream.columns ?? 80) - label.length - suffix.length - 12));
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    this.#stream.write(`\r${label} [${bar}] ${(100 * fraction).toFixed(0).padStart(3)}% ${suffix}`);
    this.#shown = true;
  }

  clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}
