/** What a server process costs, read from Linux's /proc: CPU time used so far, and memory held now. */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

/** `/proc/{pid}/stat` after the command's name: field 14 (utime) is at index 11. */
function statFields(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** User + system CPU time a process has used so far, ms (`/proc/{pid}/stat` utime + stime). */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Its resident set now, MiB. */
export function rssMiB(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : NaN;
}

/** The processes of the local PostgreSQL server (its postmaster and every backend), by name. */
export function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return pids;
}

/**
 * CPU used so far by the local PostgreSQL server, ms: every running process, plus what its
 * backends that have ended used (the postmaster's reaped children, cutime + cstime), so a
 * connection closed during a run still counts.
 */
export function postgresCpuMs(): number {
  let total = 0;
  const pids = new Set(postgresPids());
  for (const pid of pids) {
    try {
      const fields = statFields(pid);
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      // The postmaster is the one whose parent is not PostgreSQL: its children's ended CPU too.
      if (!pids.has(Number(fields[1]))) total += ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND;
    } catch {
      // It ended while we looked.
    }
  }
  return total;
}

/** CPU used so far by all of `pids` that still run, ms. */
export function totalCpuMs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuMs(pid);
    } catch {
      // It ended while we looked.
    }
  }
  return total;
}
