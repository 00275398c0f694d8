import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of running processes, read from Linux's /proc (the benchmark's machine).
 * Clock ticks are taken as 100 a second, Linux's USER_HZ everywhere but exotic builds.
 */

const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  pid: number;
  /** The command's name (comm), e.g. `node` or `java`. */
  name: string;
  /** User plus system CPU time so far, in seconds. */
  cpuSeconds: number;
  /** Resident memory now, and its high-water mark, in bytes. */
  rssBytes: number;
  peakRssBytes: number;
}

function statFields(pid: number): { name: string; parent: number; cpuSeconds: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The name is in parentheses and may hold spaces; the fields after it are space-separated.
  const close = text.lastIndexOf(')');
  const name = text.slice(text.indexOf('(') + 1, close);
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the name: state(0) ppid(1) … utime(11) stime(12).
  const parent = Number(fields[1]);
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  return { name, parent, cpuSeconds };
}

/**
 * The process's resident memory now (VmRSS) and its high-water mark (VmHWM), in bytes, from
 * /proc/<pid>/status; both 0 where that cannot be read (the process has gone, or not Linux).
 */
export function memoryOf(pid: number): { rssBytes: number; peakRssBytes: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssBytes: kilobytes('VmRSS') * 1024, peakRssBytes: kilobytes('VmHWM') * 1024 };
  } catch {
    return { rssBytes: 0, peakRssBytes: 0 };
  }
}

/** The process and every process below it, each with its CPU time and memory; [] once it has gone. */
export function processTreeUsage(root: number): ProcessUsage[] {
  const parents = new Map<number, number>();
  const names = new Map<number, { name: string; cpuSeconds: number }>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (!fields) continue;
    parents.set(pid, fields.parent);
    names.set(pid, fields);
  }
  const tree: number[] = names.has(root) ? [root] : [];
  for (let index = 0; index < tree.length; index++) {
    for (const [pid, parent] of parents) if (parent === tree[index]) tree.push(pid);
  }
  return tree.map((pid) => ({
    pid,
    ...(names.get(pid) as { name: string; cpuSeconds: number }),
    ...memoryOf(pid),
  }));
}
