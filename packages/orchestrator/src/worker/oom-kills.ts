import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the kernel counts out-of-memory kills for a process: the `oom_kill` line of its memory
 * cgroup, `memory.events` on cgroup v2 or `memory.oom_control` on v1 (inside a container the
 * cgroup's own directory is often mounted as the root, so the root files are tried too).
 * Null when neither is readable: then nobody can say a kill was an OOM kill.
 */
export function oomKillCounterFile(pid: number | 'self', cgroupRoot = '/sys/fs/cgroup'): string | null {
  let membership = '';
  try {
    membership = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    // The process is gone or /proc is not Linux's: only the root files remain.
  }
  const v2 = /^0::(.*)$/m.exec(membership)?.[1];
  const v1 = /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(.*)$/m.exec(membership)?.[1];
  const candidates = [
    ...(v2 === undefined ? [] : [join(cgroupRoot, v2, 'memory.events')]),
    join(cgroupRoot, 'memory.events'),
    ...(v1 === undefined ? [] : [join(cgroupRoot, 'memory', v1, 'memory.oom_control')]),
    join(cgroupRoot, 'memory', 'memory.oom_control'),
  ];
  return candidates.find((file) => readOomKills(file) !== null) ?? null;
}

/** The `oom_kill` count in a memory.events or memory.oom_control file, or null. */
export function readOomKills(file: string): number | null {
  if (!existsSync(file)) return null;
  try {
    const match = /^oom_kill (\d+)$/m.exec(readFileSync(file, 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}
