export interface BackoffOptions {
  /** The first delay's ceiling; each later one doubles it. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
}

/**
 * The delay before retry number `retry` (1 = the first retry): exponential with "equal jitter"
 * (half fixed, half random), so many workers cut off by one outage do not come back in lockstep
 * (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
