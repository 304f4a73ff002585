import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The process's open-files limit (RLIMIT_NOFILE), or undefined where it cannot be read. */
export function openFilesLimit(): { soft: number; hard: number } | undefined {
  try {
    // Linux: the limits of this very process, no shell involved.
    const text = readFileSync('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
    if (m !== null) return { soft: toNumber(m[1] as string), hard: toNumber(m[2] as string) };
  } catch {
    // not Linux: ask a shell (it inherits our limits)
  }
  const soft = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const hard = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' });
  if (soft.status !== 0 || hard.status !== 0) return undefined;
  return { soft: toNumber(soft.stdout.trim()), hard: toNumber(hard.stdout.trim()) };
}

function toNumber(s: string): number {
  return s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s);
}

/**
 * File descriptors beyond the sockets: Node's own (stdio, epoll, worker pipes, libuv), the
 * scenario's files and the outputs. Measured ≈ 30 for an idle Node 20 with 2 workers; 100 leaves room.
 * @default 100
 */
export const FD_RESERVE = 100;
