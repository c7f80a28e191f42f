import type { BackendReport } from '@ltlab/runtime';
import { describe, expect, it } from 'vitest';
import { formatDoctorReport } from './doctor-report.js';

const INSTALL_TFJS_NODE = 'npm install --no-save @tensorflow/tfjs-node@4.22.0  # at the repository root';

const report: BackendReport = {
  host: { cpu: 'AMD EPYC', cores: 2, node: 'v20.20.2', platform: 'linux-x64' },
  backends: [
    { backend: 'tensorflow-gpu', available: false, detail: 'no NVIDIA GPU visible', fix: ['run on a GPU node'] },
    {
      backend: 'webgpu',
      available: false,
      detail: 'only a software adapter (llvmpipe): webgpu works on it only with LTLAB_WEBGPU_ALLOW_SOFTWARE=1',
      fix: ['LTLAB_BACKEND=webgpu LTLAB_WEBGPU_ALLOW_SOFTWARE=1  # tests only'],
      adapters: [
        {
          index: 0,
          name: 'llvmpipe (LLVM 15.0.6, 256 bits)',
          kind: 'software',
          vendor: 'mesa',
          architecture: 'software',
          description: 'llvmpipe: Mesa 25.0.7',
          maxBufferBytes: 4294967295,
          problem: null,
          fix: null,
        },
      ],
    },
    {
      backend: 'tensorflow',
      available: false,
      detail: '@tensorflow/tfjs-node is not installed',
      fix: [INSTALL_TFJS_NODE],
    },
    { backend: 'native', available: true, detail: 'oneDNN 2.6.3 addon built; 2 threads per process', fix: [] },
    { backend: 'wasm', available: true, detail: 'SIMD128, 1 thread per process', fix: [] },
    { backend: 'cpu', available: true, detail: 'pure JavaScript: the slowest', fix: [] },
  ],
  auto: { backend: 'native', reason: 'auto: native; skipped ...' },
  requested: { value: 'auto', backend: 'native', detail: 'auto: native' },
  env: [
    { name: 'LTLAB_BACKEND', value: null, effect: 'what `ltlab train` trains on', problem: null },
    { name: 'LTLAB_NATIVE_THREADS', value: '0', effect: 'oneDNN threads', problem: 'must be at least 1' },
  ],
};

describe('formatDoctorReport', () => {
  it('prints a row per backend with its fixes, the adapters, what auto picks, and bad settings', () => {
    const text = formatDoctorReport(report, 100);
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'TF.js backends on this machine (CPU: AMD EPYC x2, Node v20.20.2, linux-x64), in the order auto tries them:',
    );
    expect(lines).toContain(`tensorflow      no     @tensorflow/tfjs-node is not installed`);
    // Fix lines stay whole, so they can be copied.
    expect(lines).toContain(`                       fix: ${INSTALL_TFJS_NODE}`);
    expect(lines).toContain('native          yes    oneDNN 2.6.3 addon built; 2 threads per process');
    expect(text).toMatch(/adapter 0: llvmpipe \(LLVM 15\.0\.6, 256 bits\), software; vendor mesa/);
    expect(text).toContain('auto picks: native');
    expect(text).toContain('LTLAB_BACKEND is unset, so `ltlab train` and the workers train on native.');
    expect(text).toMatch(/LTLAB_NATIVE_THREADS +="0" +oneDNN threads\n +INVALID: must be at least 1/);
    expect(lines.at(-1)).toBe('3 of 6 backends load here (native, wasm, cpu); training uses native.');
    for (const line of lines) if (!line.includes('fix: ')) expect(line.length).toBeLessThanOrEqual(110);
  });

  it('says when LTLAB_BACKEND asks for a backend that does not load', () => {
    const text = formatDoctorReport({
      ...report,
      requested: { value: 'tensorflow', backend: null, detail: 'LTLAB_BACKEND=tensorflow, which does not load here' },
      env: [{ name: 'LTLAB_BACKEND', value: 'tensorflow', effect: 'what it trains on', problem: null }],
    });
    expect(text).toContain('LTLAB_BACKEND=tensorflow, which does not load here.');
    expect(text).toMatch(/training uses none \(see above\)\.$/);
  });
});
