import { expect, it } from 'vitest';

it('passes before its worker dies', () => {
  expect(1).toBe(1);
});

it('kills its own test worker, as a crash in native code would', () => {
  process.kill(process.pid, 'SIGKILL');
});

it('never runs', () => {
  expect(1).toBe(1);
});
