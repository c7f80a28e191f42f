import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendChoice, backendChoiceFromEnv } from './backend-choice.js';

export interface RuntimeInfo {
  /** The TF.js backend now active: `tensorflow`, `wasm` or `cpu`. */
  backend: string;
  requested: BackendChoice;
  /** Why this backend was chosen, and what was tried before it. */
  reason: string;
}

export interface InitRuntimeOptions {
  /** Defaults to `LTLAB_BACKEND`, then `auto`. */
  backend?: BackendChoice;
}

/** Activates a TF.js backend; `auto` takes wasm, then cpu. */
export async function initRuntime(options: InitRuntimeOptions = {}): Promise<RuntimeInfo> {
  const requested = options.backend ?? backendChoiceFromEnv();
  const order = requested === 'auto' ? (['wasm', 'cpu'] as const) : ([requested] as const);
  const failures: string[] = [];
  for (const name of order) {
    try {
      await activate(name);
      const tried = failures.length > 0 ? ` (${failures.join('; ')})` : '';
      return { backend: name, requested, reason: `${requested === 'auto' ? 'auto' : 'requested'}: ${name}${tried}` };
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new LtlabError('RUNTIME.BACKEND_UNAVAILABLE', `No TF.js backend could be loaded: ${failures.join('; ')}`, {
    fix: 'Set LTLAB_BACKEND=cpu, or install @tensorflow/tfjs-node(-gpu) on this machine.',
  });
}

async function activate(name: BackendChoice): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else throw new Error(`backend '${name}' is not available in this build`);
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}
