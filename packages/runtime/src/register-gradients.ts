import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core registers no gradients by itself: the `@tensorflow/tfjs` bundle imports
 * `@tensorflow/tfjs-core/dist/register_all_gradients`, which we do not depend on. That file is
 * ESM with extensionless relative imports, which Vite (Vitest) resolves but plain Node does not;
 * for Node we add a resolve hook, scoped to tfjs-core's dist folder, that appends `.js`.
 */
const GRADIENTS_MODULE = '@tensorflow/tfjs-core/dist/register_all_gradients.js';

const EXTENSIONLESS_HOOK = `
const DIST = '/@tensorflow/tfjs-core/dist/';
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!specifier.startsWith('.') || !context.parentURL || !context.parentURL.includes(DIST)) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try { return await next(specifier + suffix, context); } catch {}
    }
    throw error;
  }
}
export async function load(url, context, next) {
  if (url.includes(DIST) && !url.endsWith('tf-core.node.js')) return next(url, { ...context, format: 'module' });
  return next(url, context);
}`;

let loading: Promise<void> | undefined;

export function gradientsRegistered(): boolean {
  // Neg is one of the configs register_all_gradients adds; no core bundle has it built in.
  return tf.getGradient('Neg') !== undefined;
}

/** Registers tfjs-core's gradients once per process (a no-op when something already did). */
export function ensureGradientsRegistered(): Promise<void> {
  if (gradientsRegistered()) return Promise.resolve();
  loading ??= (async () => {
    // Registered before the first import: Node caches a module graph that failed to link.
    // Under Vitest the file is transformed by Vite and the hook is never consulted.
    register(`data:text/javascript,${encodeURIComponent(EXTENSIONLESS_HOOK)}`);
    await import(GRADIENTS_MODULE);
    if (!gradientsRegistered()) throw new Error(`importing ${GRADIENTS_MODULE} registered no gradients`);
  })();
  return loading;
}
