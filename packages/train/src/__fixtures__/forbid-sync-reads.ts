import * as tf from '@tensorflow/tfjs-core';

type SyncRead = 'dataSync' | 'arraySync' | 'bufferSync';

export interface SyncReadGuard {
  /** Where each refused read came from (its first caller outside TF.js and this file). */
  readonly refused: string[];
  /** Puts the original Tensor methods back. */
  restore(): void;
}

/**
 * Makes every tensor read as on a backend that cannot read synchronously (webgpu in Node):
 * `dataSync`, `arraySync` and `bufferSync` throw unless `data()` (which `array()` and `buffer()`
 * call) read the same data before, as webgpu then keeps a CPU copy. It patches the Tensor
 * prototype, so it sees every read through a tensor (our code's and TF.js ops') but not the
 * reads a backend makes inside its own kernels. Call `restore()` in a `finally`.
 */
export function forbidSyncReads(): SyncReadGuard {
  const proto = tf.Tensor.prototype;
  const original = {
    data: proto.data,
    dataSync: proto.dataSync,
    arraySync: proto.arraySync,
    bufferSync: proto.bufferSync,
  };
  // Data ids are objects that live as long as the data: a variable's changes on every assign.
  const readAsync = new WeakSet<object>();
  const refused: string[] = [];

  proto.data = async function data(this: tf.Tensor) {
    const values = await original.data.call(this);
    readAsync.add(this.dataId);
    return values;
  } as typeof proto.data;
  const guard = (name: SyncRead) => {
    const read = original[name] as (this: tf.Tensor) => unknown;
    (proto as unknown as Record<SyncRead, unknown>)[name] = function guarded(this: tf.Tensor) {
      if (!readAsync.has(this.dataId)) {
        const site = callerOutsideTfjs(new Error().stack ?? '');
        refused.push(`${name}() at ${site}`);
        throw new Error(`${name}() of a tensor not read with data() first, at ${site}`);
      }
      return read.call(this);
    };
  };
  guard('dataSync');
  guard('arraySync');
  guard('bufferSync');

  return {
    refused,
    restore: () => {
      Object.assign(proto, original);
    },
  };
}

function callerOutsideTfjs(stack: string): string {
  const frames = stack.split('\n').slice(1);
  const frame = frames.find((line) => !line.includes('@tensorflow') && !line.includes('forbid-sync-reads'));
  return (frame ?? frames[0] ?? 'unknown').trim().replace(/^at /, '');
}
