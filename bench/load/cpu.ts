// CPU time of processes from /proc (the node, PostgreSQL's backends) and of this process.
import { readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

/** User + system CPU seconds of a process so far; 0 when it is gone or unreadable. */
export function procCpuS(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start past its closing parenthesis.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_S; // utime, stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

/** This process's CPU seconds so far. */
export function ownCpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds of a set of processes, summed. */
export const sumCpuS = (pids: Iterable<number>): number => {
  let s = 0;
  for (const p of pids) s += procCpuS(p);
  return s;
};
