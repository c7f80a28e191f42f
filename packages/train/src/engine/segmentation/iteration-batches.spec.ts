import { describe, expect, it } from 'vitest';
import { IterationBatches } from './iteration-batches.js';

/** An epoch stream of `batches` batches, named by (epoch, position), recording what was opened and closed. */
function fakeLoader(batches: number, batchSize: number) {
  const log: string[] = [];
  const open = (epoch: number, startPosition: number): AsyncIterator<string> => {
    log.push(`open ${epoch}@${startPosition}`);
    async function* stream() {
      try {
        for (let position = startPosition; position < batches * batchSize; position += batchSize) {
          yield `${epoch}:${position}`;
        }
      } finally {
        log.push(`close ${epoch}`);
      }
    }
    return stream();
  };
  return { open, log };
}

async function collect<T>(items: AsyncIterable<{ iteration: number; batch: T }>): Promise<string[]> {
  const out: string[] = [];
  for await (const { iteration, batch } of items) out.push(`${iteration}=${String(batch)}`);
  return out;
}

describe('IterationBatches', () => {
  it('walks the epochs in order: iteration i is batch i mod E of epoch floor(i / E)', async () => {
    const { open, log } = fakeLoader(3, 4);
    const stream = new IterationBatches(open, { batchesPerEpoch: 3, batchSize: 4 });
    expect(await collect(stream.take(0, 4))).toEqual(['0=0:0', '1=0:4', '2=0:8', '3=1:0']);
    // The next period continues the open epoch stream rather than reopening it.
    expect(await collect(stream.take(4, 4))).toEqual(['4=1:4', '5=1:8', '6=2:0', '7=2:4']);
    await stream.close();
    expect(log).toEqual(['open 0@0', 'close 0', 'open 1@0', 'close 1', 'open 2@0', 'close 2']);
  });

  it('resumes at any iteration where the uninterrupted run was', async () => {
    const { open, log } = fakeLoader(3, 4);
    const stream = new IterationBatches(open, { batchesPerEpoch: 3, batchSize: 4 });
    expect(await collect(stream.take(5, 2))).toEqual(['5=1:8', '6=2:0']);
    await stream.close();
    expect(log).toEqual(['open 1@8', 'close 1', 'open 2@0', 'close 2']);
  });
});
