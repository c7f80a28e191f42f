import type { ServerResponse } from 'node:http';

/**
 * Server-sent events for live pages. The store is polled for a cheap change stamp while anyone
 * listens; `notify()` (wired to the recorder's `onRecorded`) checks at once instead of waiting.
 */
export class LiveUpdates {
  readonly #clients = new Set<ServerResponse>();
  readonly #stamp: () => Promise<string>;
  readonly #pollMs: number;
  #last = '';
  #timer: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #checking = false;
  #pending: NodeJS.Timeout | undefined;

  constructor(stamp: () => Promise<string>, pollMs: number) {
    this.#stamp = stamp;
    this.#pollMs = pollMs;
  }

  get listeners(): number {
    return this.#clients.size;
  }

  attach(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    this.#clients.add(response);
    response.on('close', () => {
      this.#clients.delete(response);
      if (this.#clients.size === 0) this.#stop();
    });
    this.#start();
  }

  /** Something was written: check soon (coalesced, so a burst of events is one update). */
  notify(): void {
    if (this.#pending !== undefined || this.#clients.size === 0) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      void this.#check();
    }, 100);
  }

  close(): void {
    this.#stop();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#check(), this.#pollMs);
    this.#keepAlive = setInterval(() => this.#send(': keep-alive\n\n'), 15_000);
    void this.#check();
  }

  #stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#keepAlive);
    clearTimeout(this.#pending);
    this.#timer = undefined;
    this.#keepAlive = undefined;
    this.#pending = undefined;
  }

  async #check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const stamp = await this.#stamp();
      if (stamp !== this.#last) {
        this.#last = stamp;
        this.#send(`event: change\ndata: ${JSON.stringify({ stamp })}\n\n`);
      }
    } catch {
      // The store is briefly unavailable (a migration, a restart): the next poll tries again.
    } finally {
      this.#checking = false;
    }
  }

  #send(chunk: string): void {
    for (const client of this.#clients) client.write(chunk);
  }
}
