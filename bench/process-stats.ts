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

/** The parent of a process. */
export function parentPid(pid: number): number {
  return Number(statFields(pid)[1]);
}

/**
 * CPU used so far by one PostgreSQL server, ms: its postmaster, the processes it started that
 * still run, and what its ended ones used (its reaped children, cutime + cstime), so a
 * connection closed during a run still counts. Other servers on the machine do not.
 */
export function postgresCpuMs(postmasterPid: number): number {
  const ms = (ticks: number) => (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  const own = statFields(postmasterPid);
  let total = ms(Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(fields[1]) === postmasterPid) total += ms(Number(fields[11]) + Number(fields[12]));
    } catch {
      // It ended while we looked; its time is in the postmaster's reaped children now.
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
