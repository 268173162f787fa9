import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc/<pid>/stat describes it: its parent, name and CPU time (user + system). */
export interface ProcessStat {
  pid: number;
  ppid: number;
  comm: string;
  cpuMs: number;
}

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat, 100 on every common kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Parses /proc/<pid>/stat. The name is in parentheses and may itself hold spaces and parentheses, so the
 * fields are counted from the last `)`: state, ppid, …, utime (14th field) and stime (15th).
 */
export function parseProcStat(text: string): ProcessStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(rest[1]);
  const ticks = Number(rest[11]) + Number(rest[12]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isFinite(ticks)) return undefined;
  return { pid, ppid, comm: text.slice(open + 1, close), cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND };
}

/** What each process of the bench is, for the CPU breakdown. */
export type ProcessRole = 'worker' | 'gateway' | 'moto' | 'dynamodb-local' | 'other';

/**
 * Which role each process under `root` plays: `root` itself runs the local AWS's gateway (and the
 * seeding); the worker and everything it started are the worker; java is DynamoDB Local and python is
 * moto (their children count with them).
 */
export function rolesOf(
  processes: readonly ProcessStat[],
  root: number,
  worker: number,
): Map<number, ProcessRole> {
  const children = new Map<number, ProcessStat[]>();
  for (const entry of processes) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const roles = new Map<number, ProcessRole>([[root, 'gateway']]);
  const visit = (pid: number, inherited: ProcessRole | undefined) => {
    for (const child of children.get(pid) ?? []) {
      const role = inherited ?? roleOf(child, worker);
      roles.set(child.pid, role);
      // A child labelled `other` (e.g. a shell) passes no role down: its own children are looked at.
      visit(child.pid, role === 'other' ? undefined : role);
    }
  };
  visit(root, undefined);
  return roles;
}

function roleOf(entry: ProcessStat, worker: number): ProcessRole {
  if (entry.pid === worker) return 'worker';
  if (/^java/.test(entry.comm)) return 'dynamodb-local';
  if (/python|moto/i.test(entry.comm)) return 'moto';
  return 'other';
}

/** CPU ms per role between two snapshots; a process that started in between counts from 0. */
export function cpuByRole(
  before: readonly ProcessStat[],
  after: readonly ProcessStat[],
  roles: ReadonlyMap<number, ProcessRole>,
): Partial<Record<ProcessRole, number>> {
  const start = new Map(before.map((entry) => [entry.pid, entry.cpuMs]));
  const totals: Partial<Record<ProcessRole, number>> = {};
  for (const entry of after) {
    const role = roles.get(entry.pid);
    if (!role) continue;
    totals[role] = (totals[role] ?? 0) + Math.max(0, entry.cpuMs - (start.get(entry.pid) ?? 0));
  }
  return totals;
}

/** Every process of the machine now; empty where there is no /proc (not Linux). */
export function readProcesses(): ProcessStat[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const processes: ProcessStat[] = [];
  for (const pid of pids) {
    try {
      const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (stat) processes.push(stat);
    } catch {
      // Gone since the listing.
    }
  }
  return processes;
}

/**
 * CPU used by the bench's processes from construction to `stop()`, by role, in ms: the worker (the
 * handlers), the gateway (this process), moto and DynamoDB Local.
 */
export class BenchCpu {
  private readonly before = readProcesses();

  constructor(private readonly workerPid: number) {}

  stop(): Partial<Record<ProcessRole, number>> {
    const after = readProcesses();
    return cpuByRole(this.before, after, rolesOf(after, process.pid, this.workerPid));
  }
}
