import { initRuntime } from '@ltlab/runtime';
import { beforeAll, expect } from 'vitest';

/** The backends every loss test runs on: the runtime's pick (wasm here) and the cpu reference. */
export const BACKENDS = ['cpu', 'wasm'] as const;
export type TestBackend = (typeof BACKENDS)[number];

/** Activates `backend` before the tests of the enclosing describe block. */
export function useBackend(backend: TestBackend): void {
  beforeAll(async () => {
    const info = await initRuntime({ backend });
    expect(info.backend).toBe(backend);
  });
}

/** |a - e| <= atol + rtol * |e|, the rule of packages/golden/README.md. */
export function close(actual: number, expected: number, rtol = 1e-5, atol = 1e-6): boolean {
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}
