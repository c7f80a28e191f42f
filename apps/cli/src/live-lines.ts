import cliProgress from 'cli-progress';

/** One line redrawn in place: `label [bar] suffix`. */
export interface LiveLine {
  label: string;
  /** 0..1, how full the bar is. */
  fraction: number;
  suffix: string;
}

const STEPS = 1000;

/**
 * Lines that stay (`log`) above lines redrawn in place, one per task in progress (`set`), on one
 * stream. cli-progress's MultiBar draws the live lines on a terminal; anywhere else only the
 * logged lines are written, so a pipe or a log file gets no control characters.
 */
export class LiveLines {
  readonly #stream: NodeJS.WriteStream;
  readonly #live: boolean;
  #bars: cliProgress.MultiBar | null = null;
  readonly #lines = new Map<string, cliProgress.SingleBar>();

  /** `live` defaults to whether the stream is a terminal. */
  constructor(stream: NodeJS.WriteStream, options: { live?: boolean } = {}) {
    this.#stream = stream;
    this.#live = options.live ?? stream.isTTY === true;
  }

  get live(): boolean {
    return this.#live;
  }

  log(line: string): void {
    // MultiBar prints logged text at its next redraw, which only runs while it shows a line.
    if (this.#bars === null) this.#stream.write(`${line}\n`);
    else this.#bars.log(`${line}\n`);
  }

  /** Shows or updates the live line `key` (nothing when not live). */
  set(key: string, line: LiveLine): void {
    if (!this.#live) return;
    const value = Math.round(Math.max(0, Math.min(1, line.fraction)) * STEPS);
    const payload = { label: line.label, suffix: line.suffix };
    const bar = this.#lines.get(key);
    if (bar !== undefined) {
      bar.update(value, payload);
      return;
    }
    this.#bars ??= new cliProgress.MultiBar(
      {
        stream: this.#stream,
        format: '{label} [{bar}] {suffix}',
        barsize: 24,
        barCompleteChar: '#',
        barIncompleteChar: '.',
        hideCursor: true,
        clearOnComplete: true,
        // Restores the cursor on Ctrl-C; the command's own handler still runs.
        gracefulExit: true,
      },
      cliProgress.Presets.legacy,
    );
    this.#lines.set(key, this.#bars.create(STEPS, value, payload));
  }

  /** Removes the live line `key`. */
  drop(key: string): void {
    const bar = this.#lines.get(key);
    if (bar === undefined || this.#bars === null) return;
    this.#lines.delete(key);
    if (this.#lines.size === 0) this.#stop();
    else this.#bars.remove(bar);
  }

  /** Writes what is logged but not shown yet and clears the live lines. */
  close(): void {
    this.#stop();
  }

  #stop(): void {
    const bars = this.#bars;
    if (bars === null) return;
    this.#bars = null;
    this.#lines.clear();
    // stop() alone would drop the logged lines not drawn yet.
    bars.update();
    bars.stop();
  }
}
