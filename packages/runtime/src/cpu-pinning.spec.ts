import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pinProcessToCore, processAffinity } from './cpu-pinning.js';

describe('pinProcessToCore', () => {
  it('pins a child process to one core and rejects cores that do not exist', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
    try {
      const pid = child.pid as number;
      pinProcessToCore(0, pid);
      expect(processAffinity(pid)).toEqual([0]);
      expect(() => pinProcessToCore(4096, pid)).toThrow(/does not exist/);
    } finally {
      child.kill();
    }
  });
});
