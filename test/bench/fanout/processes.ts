import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** What every child asks for; the API needs one descriptor per socket, a generator one per client. */
const WANTED_OPEN_FILES = 65536;

const RAISE_OPEN_FILES = `ulimit -n ${WANTED_OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"`;

/**
 * Node cannot raise its own open-files limit, so children start through bash: raise the hard limit
 * when allowed (root with CAP_SYS_RESOURCE), else lift the soft limit to the hard one.
 */
export function spawnNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdio: StdioOptions,
  nodeArgs: string[] = [],
): ChildProcess {
  return spawn('bash', ['-c', `${RAISE_OPEN_FILES}; exec "$0" "$@"`, process.execPath, ...nodeArgs, script, ...args], {
    env,
    stdio,
  });
}

/** The open-files limit `spawnNode` gives its children (65536 when allowed, else this machine's hard limit). */
export function childOpenFilesLimit(): number {
  return Number(execFileSync('bash', ['-c', `${RAISE_OPEN_FILES}; ulimit -n`], { encoding: 'utf8' }).trim());
}

/** The soft open-files limit of a running process. */
export function openFilesLimit(pid: number): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s+/)[3]);
}

/** Resident set size in MB, or NaN once the process is gone. */
export function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** User + system CPU seconds a process has used so far (utime and stime, fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU time of the whole machine so far, from the first line of /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/** Share of all cores busy since `before`. */
export function machineBusySince(before: { busy: number; total: number }): number {
  const now = machineCpu();
  return (now.busy - before.busy) / (now.total - before.total);
}

/** Samples a process's RSS every 100 ms and keeps the peak. */
export function peakRss(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `child` exits (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
