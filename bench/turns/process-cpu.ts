import { readFileSync } from 'node:fs';
import { childPids } from '../../test/support/index.js';

/** Clock ticks per second of /proc/<pid>/stat on Linux (`getconf CLK_TCK`; 100 on every common kernel). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in milliseconds, read from /proc so the
 * figure is the measured process's own, not the benchmark's. Resolution: 10 ms; a round of
 * thousands of turns makes that negligible per turn.
 */
export function processCpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time of a server and everything it forked, in milliseconds: its own, that of its children that
 * ended (cutime, cstime) and that of those still running (PostgreSQL's backends, one per connection).
 * 0 for a process that is gone.
 */
export function processTreeCpuMs(pid: number): number {
  try {
    const fields = statFields(pid);
    let ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    for (const child of childPids(pid)) {
      try {
        const childFields = statFields(child);
        ticks += Number(childFields[11]) + Number(childFields[12]);
      } catch {
        // ended while we looked
      }
    }
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is the state, [1] the parent. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS). */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
