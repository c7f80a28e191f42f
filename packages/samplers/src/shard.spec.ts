import { describe, expect, it } from 'vitest';
import { InstanceBalancedSampler } from './instance-balanced.js';
import { ShardedSampler } from './shard.js';

describe('ShardedSampler', () => {
  it('splits one epoch into equal, disjoint-by-position shards that cover it', () => {
    const inner = new InstanceBalancedSampler(10, { seed: 9 });
    const full = Array.from(inner.indices(1));
    const shards = [0, 1, 2].map((rank) => new ShardedSampler(inner, { rank, worldSize: 3 }));
    const parts = shards.map((s) => Array.from(s.indices(1)));
    expect(parts.map((p) => p.length)).toEqual([4, 4, 4]);
    // Interleaving the shards back gives the order padded by wrapping around (10 -> 12).
    const merged = [0, 1, 2, 3].flatMap((k) => parts.map((p) => p[k] as number));
    expect(merged).toEqual([...full, full[0], full[1]]);
  });

  it('rejects a rank outside the world', () => {
    const inner = new InstanceBalancedSampler(10, { seed: 9 });
    expect(() => new ShardedSampler(inner, { rank: 2, worldSize: 2 })).toThrow(/rank 2 of world size 2/);
  });
});
