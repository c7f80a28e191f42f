import { beforeAll, describe, expect, it } from 'vitest';

describe('a suite whose setup fails', () => {
  beforeAll(() => {
    throw new Error('setup failed on purpose');
  });
  it('is skipped', () => {
    expect(1).toBe(1);
  });
});

it('passes', () => {
  expect(1).toBe(1);
});
