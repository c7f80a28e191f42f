import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oomKillCounterFile, readOomKills } from './oom-kills.js';

describe('OOM kill counter', () => {
  const root = mkdtempSync(join(tmpdir(), 'ltlab-cgroup-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads oom_kill from cgroup v2 memory.events and v1 memory.oom_control', () => {
    const v2 = join(root, 'memory.events');
    writeFileSync(v2, 'low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n');
    expect(readOomKills(v2)).toBe(2);
    const v1 = join(root, 'memory.oom_control');
    writeFileSync(v1, 'oom_kill_disable 0\nunder_oom 0\noom_kill 7\n');
    expect(readOomKills(v1)).toBe(7);
    expect(readOomKills(join(root, 'absent'))).toBeNull();
  });

  it("finds the file of this process's cgroup, or the root's inside a container", () => {
    const fake = mkdtempSync(join(tmpdir(), 'ltlab-cgroup-root-'));
    try {
      expect(oomKillCounterFile('self', fake)).toBeNull();
      mkdirSync(join(fake, 'memory'), { recursive: true });
      writeFileSync(join(fake, 'memory', 'memory.oom_control'), 'oom_kill 0\n');
      expect(oomKillCounterFile('self', fake)).toBe(join(fake, 'memory', 'memory.oom_control'));
      writeFileSync(join(fake, 'memory.events'), 'oom 0\noom_kill 0\n');
      expect(oomKillCounterFile(process.pid, fake)).toBe(join(fake, 'memory.events'));
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });
});
