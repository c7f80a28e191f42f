/**
 * Rejects when `promise` has not settled after `ms` (the promise itself runs on): for Redis
 * commands that may wait on a reconnecting client, where the caller must not wait as long.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'no answer'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} within ${(ms / 1000).toFixed(1)} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
