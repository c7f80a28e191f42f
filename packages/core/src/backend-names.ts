/**
 * The TF.js backends a user may ask for (`LTLAB_BACKEND`, `--backend`), fastest kinds first; `auto`
 * picks the fastest that loads. Here, not in @ltlab/runtime, so the control plane (CLI, worker
 * supervisor) can validate a choice without loading TensorFlow.js.
 */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_CHOICES)[number];
